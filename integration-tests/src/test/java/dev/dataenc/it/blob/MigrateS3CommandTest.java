package dev.dataenc.it.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.blob.s3.S3Moto;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.cli.DataencCli;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataenc migrate --s3-bucket B --s3-prefix P --s3-region R --s3-endpoint URL --context C} against moto:
 * the objects under old CDKs re-encrypted in place, after which {@code retire-cdks} retires those CDKs with no
 * attestation (the bucket's scan is the evidence); option mistakes refused with usage errors, a missing bucket with
 * one line. Here rather than beside the CLI because the CLI's module cannot depend on blob-store-s3's tests.
 */
class MigrateS3CommandTest {

    private static final String CONTEXT = "Attachment.body";

    @TempDir
    Path dir;

    @BeforeAll
    static void credentials() {
        // the S3 store takes credentials from the SDK default chain (system properties first); any suit moto
        System.setProperty("aws.accessKeyId", "AKIDMOTO");
        System.setProperty("aws.secretAccessKey", "moto-secret");
    }

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

    private static CdkId cdkOf(byte[] c) {
        return CiphertextInfo.ofBinary(Arrays.copyOf(c, Math.min(c.length, CiphertextInfo.PROBE_LENGTH)), c.length).cdkId();
    }

    @Test
    void migrateS3Bucket_reencryptsEveryObject_thenRetireCdksRetiresTheirCdksWithoutAttestation() throws Exception {
        Path config = config();
        try (S3Moto moto = S3Moto.startOrSkip()) {
            String bucket = moto.createBucket();
            Map<String, byte[]> originals = new LinkedHashMap<>();
            Set<CdkId> old = new HashSet<>();
            // the application wrote and rotated ten minutes ago: the CDKs went out of use before the migration
            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("app")
                    .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))))) {
                if (plane.registry().findActive().isEmpty()) {
                    plane.rotateCdk("first CDK");
                }
                for (int i = 0; i < 5; i++) {
                    if (i == 3) {
                        plane.rotateCdk("test");
                    }
                    byte[] plain = ("attachment " + i + " ").repeat(3000 + i).getBytes(StandardCharsets.UTF_8);
                    ByteArrayOutputStream c = new ByteArrayOutputStream();
                    plane.blobCipher().encrypt(new ByteArrayInputStream(plain), c, CONTEXT);
                    String key = "att/2024/a" + i + ".pdf.enc";
                    moto.put(bucket, key, c.toByteArray());
                    originals.put(key, plain);
                    old.add(cdkOf(c.toByteArray()));
                }
                plane.rotateCdk("test");
                plane.flushUsage();
            }
            assertEquals(2, old.size());
            String[] s3 = {"--s3-bucket", bucket, "--s3-prefix", "att", "--s3-region", S3Moto.REGION,
                "--s3-endpoint", moto.endpoint()};

            Run noContext = dataenc(config, concat(new String[] {"migrate"}, s3));
            assertEquals(2, noContext.code(), noContext.all());
            assertTrue(noContext.all().contains("--s3-bucket needs --context"), noContext.all());
            Run both = dataenc(config, "migrate", "--s3-bucket", bucket, "--blob-dir", dir.toString(), "--context", CONTEXT);
            assertEquals(2, both.code(), both.all());
            Run prefixAlone = dataenc(config, "migrate", "--s3-prefix", "att", "--table", "t", "--key", "id",
                    "--column", "c:x");
            assertEquals(2, prefixAlone.code(), prefixAlone.all());
            assertTrue(prefixAlone.all().contains("go with --s3-bucket"), prefixAlone.all());
            Run missing = dataenc(config, "migrate", "--s3-bucket", "no-such-bucket", "--s3-region", S3Moto.REGION,
                    "--s3-endpoint", moto.endpoint(), "--context", CONTEXT);
            assertEquals(1, missing.code(), missing.all());
            assertTrue(missing.err().contains("S3 bucket 'no-such-bucket' does not exist"), missing.all());
            assertEquals(1, missing.err().strip().lines().count(), missing.err());

            Run dry = dataenc(config, concat(new String[] {"migrate", "--dry-run", "--context", CONTEXT}, s3));
            assertEquals(0, dry.code(), dry.all());
            Run run = dataenc(config, concat(new String[] {"migrate", "--context", CONTEXT}, s3));
            assertEquals(0, run.code(), run.all());
            assertTrue(run.out().contains("S3 s3://" + bucket + "/att/"), run.out());
            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("check"))) {
                CdkId active = plane.registry().findActive().orElseThrow().id();
                for (Map.Entry<String, byte[]> e : originals.entrySet()) {
                    byte[] c = moto.get(bucket, e.getKey());
                    assertEquals(active, cdkOf(c));
                    ByteArrayOutputStream plain = new ByteArrayOutputStream();
                    plane.blobCipher().decrypt(new ByteArrayInputStream(c), plain, CONTEXT);
                    assertArrayEquals(e.getValue(), plain.toByteArray(), e.getKey());
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

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
