package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cli.DataencCli;
import dev.dataenc.kms.testing.KmsTestServer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataenc demo --kms-endpoint}: keystore-b is an aws-kms keystore on the KMS test server, credentials from
 * the AWS SDK default chain (here its system properties, as {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 * would be in a shell). The demo switches local → aws-kms and decrypts everything with keystore-b alone.
 */
class KmsDemoTest {

    private static final String ACCESS_KEY = "aws.accessKeyId";
    private static final String SECRET_KEY = "aws.secretAccessKey";

    private String savedAccessKey;
    private String savedSecretKey;

    @BeforeEach
    void staticTestCredentials() {
        savedAccessKey = System.setProperty(ACCESS_KEY, "AKIDDEMOTEST");
        savedSecretKey = System.setProperty(SECRET_KEY, "demo-test-secret");
    }

    @AfterEach
    void restoreCredentials() {
        restore(ACCESS_KEY, savedAccessKey);
        restore(SECRET_KEY, savedSecretKey);
    }

    @Test
    void demoWithKmsEndpoint_switchesLocalToKms_andDecryptsWithKmsAlone(@TempDir Path dir) throws Exception {
        try (KmsTestServer server = KmsTestServer.start()) {
            KmsTestServer.Key key = server.createKey();
            server.createAlias("alias/dataenc-demo", key.keyId());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo",
                    "--work-dir", dir.toString(), "--blob-mib", "1",
                    "--kms-endpoint", server.endpoint().toString(), "--kms-key-id", "alias/dataenc-demo");

            String text = out.toString();
            assertEquals(0, code, text + err);
            assertTrue(text.contains("keystore-b is an aws-kms keystore: key alias/dataenc-demo at " + server.endpoint()), text);
            assertTrue(text.contains("master key '" + key.arn() + "' (aws-kms at "), "step 1 lists the KMS key's ARN: " + text);
            assertTrue(text.contains("$ dataenc switch keystore-b --cipher-type keystore"), text);
            assertTrue(text.contains("switch 'keystore-a' -> 'keystore-b': COMPLETED"), text);
            assertTrue(text.contains("CDKs re-wrapped: 2 by this run"), text);
            assertTrue(text.contains("(cipher type keystore)"), text);
            assertTrue(text.contains("now says dataenc.keystore.active=keystore-b"), text);
            assertTrue(text.contains("decrypted all 4 values: identical to the originals"), text);
            assertTrue(text.contains("BLOB decrypted: SHA-256 matches the original"), text);
            assertTrue(text.contains("dataenc: switch from keystore 'keystore-b' to 'keystore-c' refused"), text);
            assertTrue(text.contains("nothing changed: active keystore 'keystore-b'"), text);
            assertTrue(text.contains("demo finished"), text);
            String config = Files.readString(dir.resolve("dataenc.properties"));
            assertTrue(config.contains("dataenc.keystores.keystore-b.type=aws-kms"), config);
            assertTrue(config.contains("dataenc.cipher-type=keystore"), config);
            assertTrue(!config.contains("demo-test-secret"), "credentials are not written into the configuration");
            // 2 CDKs re-wrapped with Encrypt, plus the target guard's wrap/unwrap probe each time the guards run (the
            // dry run, the switch command's check before it writes the file, the switch); the new CDK: GenerateDataKey
            System.out.println("demo with --kms-endpoint: KMS requests " + server.callCounts());
            assertEquals(2 + 3, server.callCount("Encrypt"), server.callCounts().toString());
            assertEquals(1, server.callCount("GenerateDataKey"), server.callCounts().toString());
        }
    }

    @Test
    void kmsEndpointWithoutKeyId_isBadUsage(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "demo",
                "--work-dir", dir.toString(), "--kms-endpoint", "http://127.0.0.1:1");
        assertEquals(DataencCli.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--kms-key-id"), err.toString());
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
