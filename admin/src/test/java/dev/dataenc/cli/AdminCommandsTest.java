package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.testing.KeystoreFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands end to end: real H2 registry, real {@code local} keystores, a real configuration file. */
class AdminCommandsTest {

    private static final String PASSWORD = "cli-test-password";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run dataenc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run dataencOn(Path config, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        return dataenc(full);
    }

    /** A configuration file with local keystores {@code a} and {@code b}, plus any extra lines. */
    private Path config(String active, String... extraLines) throws IOException {
        StringBuilder sb = new StringBuilder("# test configuration\ndataenc.cipher-type=platform\n")
                .append("dataenc.keystore.active=").append(active).append('\n');
        for (String ks : new String[] {"a", "b"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(ks).append(".p12\n")
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(PASSWORD).append('\n');
        }
        for (String line : extraLines) {
            sb.append(line).append('\n');
        }
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        for (String ks : new String[] {"a", "b"}) {
            KeystoreFiles.provide(KeystoreSettings.of(ks, "local", Map.of("path", dir.resolve(ks + ".p12").toString(),
                    "password", PASSWORD, "master-key", "mk-" + ks)));
        }
        return file;
    }

    /** A config with two CDKs under keystore a (one ACTIVE, one DECRYPT_ONLY). */
    private Path configWithCdks() throws IOException {
        Path file = config("a");
        assertEquals(0, dataencOn(file, "rotate-cdk").code());
        assertEquals(0, dataencOn(file, "rotate-cdk", "--reason", "test").code());
        return file;
    }

    private void disableMasterKey(String keystore) {
        try (Keystore ks = Keystores.create(KeystoreSettings.of(keystore, "local", Map.of("path",
                dir.resolve(keystore + ".p12").toString(), "password", PASSWORD, "master-key", "mk-" + keystore)))) {
            ((MasterKeyAdmin) ks).disableMasterKey();
        }
    }

    /** The registry as one string: active keystore, every CDK's id, status and wrappings. */
    private static String registrySnapshot(Path config) {
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("test"))) {
            return plane.jobs().state().orElseThrow().activeKeystore() + " " + plane.registry().list().stream()
                    .map(c -> c.id() + ":" + c.status() + ":" + c.wrappings().stream().map(Wrapping::keystoreName)
                            .sorted().collect(Collectors.joining(",")))
                    .sorted().collect(Collectors.joining(" "));
        }
    }

    @Test
    void status_onConfig_showsActiveKeystoreMasterKeyAndCdks() throws IOException {
        Path file = configWithCdks();

        Run r = dataencOn(file, "status");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("active keystore:  a"), r.out());
        assertTrue(r.out().contains("cipher type:      platform"), r.out());
        assertTrue(r.out().contains("ENABLED"), r.out());
        assertTrue(r.out().contains("ACTIVE=1, DECRYPT_ONLY=1"), r.out());
        assertTrue(r.out().contains("CDKs by wrapping: {a=2}"), r.out());
        assertFalse(r.all().contains(PASSWORD), "the keystore password is never printed");
    }

    @Test
    void status_onMissingRegistry_saysSoAndCreatesNothing() throws IOException {
        Path file = config("a");

        Run r = dataencOn(file, "status");

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("is not initialised (the database does not exist); nothing was created"), r.err());
        assertTrue(r.err().contains("start an application with this configuration"), r.err());
        assertTrue(r.err().contains("or run `dataenc rotate-cdk` with it (which initialises it the same way"), r.err());
        assertFalse(Files.exists(dir.resolve("registry.mv.db")), "looking created no registry");
    }

    @Test
    void switchDryRun_changesNothing_andExitsZero() throws IOException {
        Path file = configWithCdks();
        String before = registrySnapshot(file);
        byte[] fileBefore = Files.readAllBytes(file);

        Run r = dataencOn(file, "switch", "b", "--dry-run");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("switch 'a' -> 'b'"), r.out());
        assertTrue(r.out().contains("re-wrap 2 CDKs"), r.out());
        assertTrue(r.out().contains("dry run: nothing changed"), r.out());
        assertEquals(before, registrySnapshot(file));
        assertArrayEquals(fileBefore, Files.readAllBytes(file));
    }

    @Test
    void switchDryRun_wouldBeRefused_exitsOne() throws IOException {
        Path file = configWithCdks();
        disableMasterKey("b");
        String before = registrySnapshot(file);

        Run r = dataencOn(file, "switch", "b", "--dry-run");

        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("would be REFUSED"), r.out());
        assertTrue(r.out().contains("  plan: none: the switch is refused, so nothing would run"), r.out());
        assertFalse(r.out().contains("generate a new ACTIVE CDK"), "no plan for a refused switch: " + r.out());
        assertTrue(r.err().startsWith("dataenc: switch to 'b' would be refused"), r.err());
        assertEquals(before, registrySnapshot(file));
    }

    @Test
    void switch_rewrapsEveryCdk_andWritesTheTargetIntoTheConfigFile() throws IOException {
        Path file = configWithCdks();
        String encrypted;
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(file), ControlPlane.Options.admin("test"))) {
            encrypted = plane.propertyCipher().encryptString("ada@example.com", "Customer.email");
        }

        Run r = dataencOn(file, "switch", "b");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("switch 'a' -> 'b': COMPLETED"), r.out());
        assertTrue(r.out().contains("CDKs re-wrapped: 2 by this run; 3/3"), r.out());
        assertTrue(r.err().contains("re-wrap CDKs 100%"), "progress bar on the error stream: " + r.err());
        DataEncConfig reloaded = ConfigLoader.load(file);
        assertEquals("b", reloaded.activeKeystore());
        assertEquals(CipherType.PLATFORM, reloaded.cipherType());
        assertTrue(Files.readString(file).startsWith("# test configuration"), "comments are kept");
        // keystore a gone: everything still decrypts with b alone
        Path onlyB = dir.resolve("only-b.properties");
        Files.writeString(onlyB, Files.readString(file).lines().filter(l -> !l.startsWith("dataenc.keystores.a."))
                .collect(Collectors.joining("\n")));
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(onlyB), ControlPlane.Options.admin("test"))) {
            for (Cdk cdk : plane.registry().list()) {
                assertTrue(cdk.wrappingBy("b").isPresent(), "every CDK is wrapped by b: " + cdk.id());
            }
            assertEquals("ada@example.com", plane.propertyCipher().decryptString(encrypted, "Customer.email"));
        }
        Run again = dataencOn(file, "switch", "b");
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("ALREADY_ACTIVE"), again.out());
    }

    @Test
    void switch_targetMasterKeyDisabled_isRefused_oneLine_configUnchanged() throws IOException {
        Path file = configWithCdks();
        disableMasterKey("b");
        String before = registrySnapshot(file);
        byte[] fileBefore = Files.readAllBytes(file);

        Run r = dataencOn(file, "switch", "b");

        assertEquals(1, r.code(), r.all());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("dataenc: switch from keystore 'a' to 'b' refused"), r.err());
        assertTrue(r.err().contains("DISABLED"), r.err());
        assertArrayEquals(fileBefore, Files.readAllBytes(file), "the configuration file is unchanged byte for byte");
        assertEquals(before, registrySnapshot(file));
    }

    @Test
    void switch_toUnconfiguredKeystore_exitsOneNamingIt() throws IOException {
        Path file = configWithCdks();

        Run r = dataencOn(file, "switch", "nope");

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("keystore 'nope' is not configured"), r.err());
    }

    // No custom cipher class is on landing-config's test class path (custom-cipher's example cipher lives in its
    // test sources), so the target 'site' cannot be opened: enough to check the confirmation, which comes first.
    @Test
    void switch_cipherTypeChangeWithoutConfirmation_exitsOneAskingForIt() throws IOException {
        Path file = config("a", "dataenc.keystores.site.type=custom", "dataenc.keystores.site.class=com.example.NotThere");
        assertEquals(0, dataencOn(file, "rotate-cdk").code());
        String before = registrySnapshot(file);

        Run r = dataencOn(file, "switch", "site");
        Run wrong = dataencOn(file, "switch", "site", "--cipher-type", "keystore");
        Run invalid = dataencOn(file, "switch", "site", "--cipher-type", "plaform");
        Run confirmed = dataencOn(file, "switch", "site", "--cipher-type", "custom");

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("changes the cipher type platform -> custom; pass --cipher-type custom"), r.err());
        assertEquals(1, wrong.code(), wrong.all());
        assertTrue(wrong.err().contains("--cipher-type keystore does not match"), wrong.err());
        assertEquals(2, invalid.code(), invalid.all());
        assertEquals(1, confirmed.code(), "confirmed, then refused by the target guard: " + confirmed.all());
        assertTrue(confirmed.err().contains("refused"), confirmed.err());
        assertEquals(before, registrySnapshot(file));
    }

    @Test
    void rotateCdk_printsOldAndNewIds() throws IOException {
        Path file = config("a");
        assertEquals(0, dataencOn(file, "rotate-cdk").code());
        String oldId;
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(file), ControlPlane.Options.admin("test"))) {
            oldId = plane.registry().findActive().orElseThrow().id().toString();
        }

        Run r = dataencOn(file, "rotate-cdk", "--reason", "quarterly");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("rotated: ACTIVE CDK " + oldId + " -> "), r.out());
        assertTrue(r.out().contains(oldId + " is now DECRYPT_ONLY"), r.out());
        assertTrue(dataencOn(file, "audit").out().contains("reason: quarterly"));
    }

    @Test
    void verify_exitsZero_thenOneAfterTheOnlyMasterKeyIsDisabled() throws IOException {
        Path file = configWithCdks();

        Run ok = dataencOn(file, "verify");
        disableMasterKey("a");
        Run atRisk = dataencOn(file, "verify");

        assertEquals(0, ok.code(), ok.all());
        assertTrue(ok.out().contains("checked 2 CDKs in use: 2 unwrap, 0 at risk"), ok.out());
        assertEquals(1, atRisk.code(), atRisk.all());
        assertTrue(atRisk.out().contains("AT RISK"), atRisk.out());
        assertTrue(atRisk.err().startsWith("dataenc: 2 CDKs are at risk"), atRisk.err());
    }

    @Test
    void audit_afterSwitch_listsSwitchCompleted() throws IOException {
        Path file = configWithCdks();
        assertEquals(0, dataencOn(file, "switch", "b").code());

        Run r = dataencOn(file, "audit", "--limit", "100");
        Run two = dataencOn(file, "audit", "--limit", "2");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("SWITCH_COMPLETED"), r.out());
        assertTrue(r.out().contains("CDK_REWRAPPED"), r.out());
        assertTrue(r.out().contains("dataenc-cli"), "the actor names the tool: " + r.out());
        assertEquals(2, two.out().lines().count(), two.out());
        assertEquals(2, dataencOn(file, "audit", "--limit", "0").code(), "usage error");
    }

    @Test
    void removeWrappings_afterSwitch_dropsTheOldKeystoresWrappings() throws IOException {
        Path file = configWithCdks();
        assertEquals(0, dataencOn(file, "switch", "b").code());
        String before = registrySnapshot(file);

        Run dry = dataencOn(file, "remove-wrappings", "a", "--dry-run");
        String afterDry = registrySnapshot(file);
        Run real = dataencOn(file, "remove-wrappings", "a");
        Run active = dataencOn(file, "remove-wrappings", "b");

        assertEquals(0, dry.code(), dry.all());
        assertTrue(dry.out().contains("would remove the wrapping by 'a' from 2 CDKs"), dry.out());
        assertEquals(before, afterDry, "a dry run changes nothing");
        assertEquals(0, real.code(), real.all());
        assertTrue(real.out().contains("removed the wrapping by 'a' from 2 CDKs"), real.out());
        assertFalse(registrySnapshot(file).contains("a,b"), "no CDK keeps a wrapping by a");
        assertEquals(1, active.code(), "the active keystore's wrappings are refused: " + active.all());
        assertEquals(0, dataencOn(file, "verify").code());
    }

    @Test
    void missingConfigFile_exitsOneNamingThePath() {
        Path missing = dir.resolve("nowhere/dataenc.properties");

        Run r = dataenc("status", "--config", missing.toString());

        assertEquals(1, r.code(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertTrue(r.err().contains("docs/CONFIGURATION.md"), "says how to create one: " + r.err());
    }

    @Test
    void badConfig_exitsOneNamingTheKey() throws IOException {
        Path file = config("a", "dataenc.cache.max-entires=10");

        Run r = dataencOn(file, "status");

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().startsWith("dataenc: "), r.err());
        assertTrue(r.err().contains("dataenc.cache.max-entires"), r.err());
        assertEquals(1, r.err().lines().count(), "a single problem stays on one line: " + r.err());
    }

    @Test
    void unknownOption_exitsTwo() throws IOException {
        Path file = config("a");

        assertEquals(2, dataencOn(file, "status", "--no-such-option").code());
        assertEquals(2, dataenc("switch").code(), "missing <keystore>");
    }

    @Test
    void cipherTransition_startAdvance_thenRefusedUntilDataMigrated() throws IOException {
        Path file = configWithCdks();
        Run none = dataencOn(file, "cipher-transition", "status");
        assertEquals(0, none.code(), none.all());
        assertTrue(none.out().contains("no cipher transition"), none.all());

        Run start = dataencOn(file, "cipher-transition", "start", "b");
        assertEquals(0, start.code(), start.all());
        assertTrue(start.out().contains("NEW_DECRYPTS"), start.all());
        Run advance = dataencOn(file, "cipher-transition", "advance");
        assertEquals(0, advance.code(), advance.all());
        assertTrue(advance.out().contains("NEW_ENCRYPTS"), advance.all());
        assertTrue(Files.readString(file).contains("dataenc.keystore.active=b") || Files.readString(file)
                .contains("dataenc.keystore.active = b"), "the file names the new keystore, as after 'dataenc switch'");

        Run early = dataencOn(file, "cipher-transition", "advance");
        assertEquals(1, early.code(), early.all());
        assertTrue(early.err().contains("dataenc migrate"), early.all());
        Run status = dataencOn(file, "cipher-transition", "status");
        assertTrue(status.out().contains("NEW_ENCRYPTS"), status.all());

        assertEquals(2, dataencOn(file, "cipher-transition", "sideways").code());
        assertEquals(2, dataencOn(file, "cipher-transition", "start").code());
    }
}
