package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.testing.KeystoreFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataenc migrate --blob-dir DIR --context C}: files of BLOBs under old CDKs re-encrypted in place, after
 * which {@code retire-cdks} retires the CDKs whose BLOBs they held, with no attestation.
 */
class MigrateBlobDirCommandTest {

    private static final String CONTEXT = "Attachment.body";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run dataenc(Path config, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--config", config.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type=platform\ndataenc.keystore.active=a\ndataenc.keystores.a.type=local\n"
                + "dataenc.keystores.a.path=a.p12\ndataenc.keystores.a.master-key=mk-a\n"
                + "dataenc.keystores.a.password=cli-test-password\n", StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(file);
        return file;
    }

    private static byte[] blob(ControlPlane plane, byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plane.blobCipher().encrypt(new ByteArrayInputStream(plain), out, CONTEXT);
        return out.toByteArray();
    }

    private static CdkId cdkOf(byte[] c) {
        return CiphertextInfo.ofBinary(Arrays.copyOf(c, Math.min(c.length, CiphertextInfo.PROBE_LENGTH)), c.length).cdkId();
    }

    @Test
    void s3OptionsMisused_usageErrors() throws Exception {
        Path config = config();
        Run noContext = dataenc(config, "migrate", "--s3-bucket", "app-docs");
        assertEquals(2, noContext.code(), noContext.all());
        assertTrue(noContext.all().contains("--s3-bucket needs --context"), noContext.all());
        Run both = dataenc(config, "migrate", "--s3-bucket", "app-docs", "--blob-dir", dir.toString(), "--context", CONTEXT);
        assertEquals(2, both.code(), both.all());
        assertTrue(both.all().contains("not both"), both.all());
        Run endpointAlone = dataenc(config, "migrate", "--blob-dir", dir.toString(), "--context", CONTEXT,
                "--s3-endpoint", "http://127.0.0.1:9000");
        assertEquals(2, endpointAlone.code(), endpointAlone.all());
    }

    @Test
    void migrateBlobDir_reencryptsEveryFile_thenRetireCdksRetiresTheirCdksWithoutAttestation() throws Exception {
        Path config = config();
        Path blobs = Files.createDirectories(dir.resolve("attachments/2024"));
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        Set<CdkId> old = new java.util.HashSet<>();
        // the application wrote and rotated ten minutes ago: the CDKs went out of use before the migration
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("app")
                .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))))) {
            if (plane.registry().findActive().isEmpty()) {
                plane.rotateCdk("first CDK");
            }
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    plane.rotateCdk("test");
                }
                byte[] plain = ("attachment " + i + " ").repeat(2000 + i).getBytes(StandardCharsets.UTF_8);
                Path file = blobs.resolve("a" + i + ".pdf.enc");
                byte[] c = blob(plane, plain);
                Files.write(file, c);
                originals.put(file, plain);
                old.add(cdkOf(c));
            }
            plane.rotateCdk("test");
            plane.flushUsage();
        }
        assertEquals(2, old.size());

        Run usage = dataenc(config, "migrate", "--blob-dir", dir.resolve("attachments").toString());
        assertEquals(2, usage.code(), usage.all());
        assertTrue(usage.all().contains("--blob-dir needs --context"), usage.all());
        Run mixed = dataenc(config, "migrate", "--blob-dir", dir.toString(), "--context", CONTEXT, "--table", "t");
        assertEquals(2, mixed.code(), mixed.all());

        Run refused = dataenc(config, "retire-cdks");
        assertTrue(refused.all().contains("BLOB(s) encrypted under it"), refused.all());

        Run run = dataenc(config, "migrate", "--blob-dir", dir.resolve("attachments").toString(), "--context", CONTEXT);
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("blob directory"), run.out());
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("check"))) {
            CdkId active = plane.registry().findActive().orElseThrow().id();
            for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
                byte[] c = Files.readAllBytes(e.getKey());
                assertEquals(active, cdkOf(c));
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                plane.blobCipher().decrypt(new ByteArrayInputStream(c), plain, CONTEXT);
                assertArrayEquals(e.getValue(), plain.toByteArray(), e.getKey().toString());
            }
        }

        Run retire = dataenc(config, "retire-cdks");
        assertEquals(0, retire.code(), retire.all());
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("check"))) {
            for (CdkId id : old) {
                assertEquals(CdkStatus.RETIRED, plane.registry().find(id).orElseThrow().status(), retire.all());
            }
        }
    }
}
