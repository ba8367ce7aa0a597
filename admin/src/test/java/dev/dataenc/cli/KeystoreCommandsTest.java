package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.registry.RegistryDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataenc keystore create|rotate-master-key|disable|enable} end to end: real configuration file, real
 * PKCS#12 files (created for real here, not copied), real H2 registry and audit trail.
 */
class KeystoreCommandsTest {

    private static final String PASSWORD = "keystore-cli-password";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run dataenc(Path config, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new Run(code, out.toString(), err.toString());
    }

    /** Local keystores a and b, {@code active} active, H2 registry beside the file; no keystore file exists yet. */
    private Path config(String active) throws IOException {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=" + active + "\n");
        for (String ks : new String[] {"a", "b"}) {
            String p = "dataenc.keystores." + ks + ".";
            sb.append(p).append("type=local\n").append(p).append("path=").append(ks).append(".p12\n")
                    .append(p).append("master-key=mk-").append(ks).append('\n')
                    .append(p).append("password=").append(PASSWORD).append('\n');
        }
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static List<AuditEvent> audited(Path config, AuditAction action) {
        DataEncConfig c = ConfigLoader.load(config);
        try (RegistryDatabase db = RegistryDatabase.open(c.registry().url(), c.registry().user(), c.registry().password())) {
            return new JdbcAuditTrail(db, "test").byAction(action);
        }
    }

    private static MasterKeyDescription describe(Path config, String keystore) {
        try (Keystore ks = Keystores.create(ConfigLoader.load(config).keystores().get(keystore))) {
            return ks.describe();
        }
    }

    @Test
    void status_withoutKeystoreFiles_createsNoFileAndSaysHowToCreate() throws Exception {
        Path config = config("a");
        Run before = dataenc(config, "status");
        assertTrue(before.all().contains("is not initialised"), before.all());
        assertFalse(Files.exists(dir.resolve("a.p12")), "status created keystore a's file");

        assertEquals(0, dataenc(config, "keystore", "create", "a").code());
        try (dev.dataenc.control.ControlPlane app = dev.dataenc.control.ControlPlane.open(ConfigLoader.load(config),
                dev.dataenc.control.ControlPlane.Options.app())) {
            app.propertyCipher().encryptString("x", "Customer.email"); // the first application start initialises it
        }
        Run r = dataenc(config, "status");
        assertTrue(r.all().contains("master key file " + dir.resolve("b.p12") + " does not exist; create it with"
                + " `dataenc keystore create b` on ONE node and copy it to the others"), r.all());
        assertFalse(Files.exists(dir.resolve("b.p12")), "status created keystore b's file");
    }

    @Test
    void create_makesOwnerOnlyFileAuditsAndSaysToCopyIt() throws Exception {
        Path config = config("a");
        Run r = dataenc(config, "keystore", "create", "a");
        assertEquals(0, r.code(), r.all());
        MasterKeyDescription d = describe(config, "a");
        assertTrue(r.out().contains("created master key '" + d.masterKeyId() + "' (version 1)"), r.all());
        assertTrue(r.out().contains("copy this file to every node"), r.all());
        List<AuditEvent> events = audited(config, AuditAction.KEYSTORE_CREATED);
        assertEquals(1, events.size());
        assertEquals("a", events.get(0).keystore());
        assertTrue(events.get(0).detail().contains(d.masterKeyId()), events.get(0).detail());
        assertTrue(events.get(0).actor().contains("dataenc-cli"), events.get(0).actor());
        assertFalse(Files.exists(dir.resolve("b.p12")));
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.p12"))));
    }

    @Test
    void createTwice_isRefusedWithExit1AndChangesNothing() throws Exception {
        Path config = config("a");
        assertEquals(0, dataenc(config, "keystore", "create", "a").code());
        byte[] before = Files.readAllBytes(dir.resolve("a.p12"));
        Run r = dataenc(config, "keystore", "create", "a");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().startsWith("dataenc: ") && r.err().contains("already holds master key 'mk-a'"), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.all());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("a.p12")));
        assertEquals(1, audited(config, AuditAction.KEYSTORE_CREATED).size());
    }

    @Test
    void unknownKeystore_isUsageError() throws Exception {
        Path config = config("a");
        for (String sub : new String[] {"create", "rotate-master-key", "disable", "enable"}) {
            Run r = dataenc(config, "keystore", sub, "nope");
            assertEquals(2, r.code(), sub + ": " + r.all());
            assertTrue(r.err().contains("no keystore 'nope'") && r.err().contains("configured: a, b"), r.all());
        }
        assertFalse(Files.exists(dir.resolve("a.p12")));
    }

    @Test
    void rotateDisableEnable_changeTheFileAndAreAudited() throws Exception {
        Path config = config("a");
        assertEquals(0, dataenc(config, "keystore", "create", "a").code());
        assertEquals(0, dataenc(config, "keystore", "create", "b").code());
        assertEquals(0, dataenc(config, "rotate-cdk").code(), "the control plane starts on the created keystores");

        Run rotated = dataenc(config, "keystore", "rotate-master-key", "b");
        assertEquals(0, rotated.code(), rotated.all());
        assertEquals("2", describe(config, "b").masterKeyVersion());
        assertTrue(rotated.out().contains("now at version 2 (was 1)"), rotated.all());

        Run disabled = dataenc(config, "keystore", "disable", "b");
        assertEquals(0, disabled.code(), disabled.all());
        assertEquals(MasterKeyState.DISABLED, describe(config, "b").state());
        Run rotateDisabled = dataenc(config, "keystore", "rotate-master-key", "b");
        assertEquals(1, rotateDisabled.code(), rotateDisabled.all());
        assertTrue(rotateDisabled.err().contains("DISABLED"), rotateDisabled.all());

        Run enabled = dataenc(config, "keystore", "enable", "b");
        assertEquals(0, enabled.code(), enabled.all());
        assertEquals(MasterKeyState.ENABLED, describe(config, "b").state());

        assertEquals(1, audited(config, AuditAction.MASTER_KEY_ROTATED).size());
        assertEquals(1, audited(config, AuditAction.MASTER_KEY_DISABLED).size());
        assertEquals(1, audited(config, AuditAction.MASTER_KEY_ENABLED).size());
        assertTrue(audited(config, AuditAction.MASTER_KEY_ROTATED).get(0).detail().contains("version 1 -> 2"));
    }

    @Test
    void disableActiveKeystore_isRefusedAndChangesNothing() throws Exception {
        Path config = config("a");
        assertEquals(0, dataenc(config, "keystore", "create", "a").code());
        assertEquals(0, dataenc(config, "keystore", "create", "b").code());
        assertEquals(0, dataenc(config, "rotate-cdk").code());
        byte[] before = Files.readAllBytes(dir.resolve("a.p12"));
        Run r = dataenc(config, "keystore", "disable", "a");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("is the active keystore") && r.err().contains("dataenc switch"), r.all());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("a.p12")));
        assertEquals(MasterKeyState.ENABLED, describe(config, "a").state());
        assertTrue(audited(config, AuditAction.MASTER_KEY_DISABLED).isEmpty());
    }
}
