package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} → {@code aws-kms} through the control plane, the real SDK talking HTTP to the KMS test
 * server: every CDK made under the local keystore gets a KMS wrapping ({@code Encrypt}), the new CDK is a
 * {@code GenerateDataKey}, and afterwards everything decrypts with only the aws-kms keystore configured.
 * KMS calls depend on the number of CDKs, not on the 2,000 values encrypted.
 */
class LocalToKmsSwitchTest {

    private static final int VALUES = 2_000;

    @TempDir
    Path dir;

    @Test
    void switchLocalToKms_kmsCallsPerCdk_andEverythingDecryptsWithKmsAlone() throws Exception {
        try (KmsTestServer server = KmsTestServer.start()) {
            KmsTestServer.Key key = server.createKey();
            KeystoreSettings local = KmsFixture.local(dir, "local");
            KeystoreSettings kms = KmsFixture.kms(server, "kms", key.keyId());
            Map<String, String> values = new LinkedHashMap<>();
            byte[] blob = new byte[200_000];
            new Random(11).nextBytes(blob);
            byte[] blobCiphertext;
            int oldCdks;
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "local", local, kms))) {
                for (int round = 0; round < 3; round++) {
                    values.putAll(KmsFixture.encryptValues(plane, VALUES / 3 + (round == 0 ? VALUES % 3 : 0), "r" + round));
                    if (round < 2) {
                        plane.rotateCdk("test rotation");
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                plane.blobCipher().encrypt(new ByteArrayInputStream(blob), out, "Doc.body");
                blobCiphertext = out.toByteArray();
                oldCdks = plane.registry().list().size();
                assertEquals(3, oldCdks);
                assertEquals(VALUES, values.size());
                assertEquals(0, server.callCount("Encrypt") + server.callCount("GenerateDataKey")
                        + server.callCount("Decrypt"), "nothing used KMS before the switch: " + server.callCounts());
                server.resetCounts();

                SwitchOutcome outcome = plane.switchKeystore("kms");

                Map<String, Integer> calls = server.callCounts();
                assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
                assertEquals(oldCdks, outcome.rewrapped());
                assertEquals(CipherType.KEYSTORE, plane.jobs().state().orElseThrow().cipherType());
                // one Encrypt per old CDK, plus the target guard's wrap/unwrap probe of a throw-away key
                assertEquals(oldCdks + 1, server.callCount("Encrypt"), calls.toString());
                assertEquals(1, server.callCount("GenerateDataKey"), "the new ACTIVE CDK: " + calls);
                assertEquals(0, server.callCount("ReEncrypt"), "no KMS source to ReEncrypt from: " + calls);
                // one verifying Decrypt per re-wrapped CDK, plus the probe
                assertEquals(oldCdks + 1, server.callCount("Decrypt"), calls.toString());
                assertTrue(server.totalCalls() <= 3 * oldCdks + 8, "KMS calls O(CDKs), not O(values): " + calls);
                System.out.printf("local -> aws-kms switch, %d CDKs, %d values: KMS calls %s%n", oldCdks, VALUES, calls);

                for (Cdk cdk : plane.registry().list()) {
                    Wrapping w = cdk.wrappingBy("kms").orElseThrow(() -> new AssertionError("no kms wrapping: " + cdk.id()));
                    assertEquals(key.arn(), w.masterKeyId(), "wrappings record the key ARN");
                }
                values.putAll(KmsFixture.encryptValues(plane, 3, "after"));
            }

            server.resetCounts();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms", kms))) {
                for (Map.Entry<String, String> e : values.entrySet()) {
                    assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
                }
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                plane.blobCipher().decrypt(new ByteArrayInputStream(blobCiphertext), plain, "Doc.body");
                assertArrayEquals(blob, plain.toByteArray());
                int cdks = plane.registry().list().size();
                assertEquals(oldCdks + 1, cdks);
                assertTrue(server.callCount("Decrypt") <= cdks,
                        "each CDK unwrapped at most once for " + values.size() + " values: " + server.callCounts());
                assertEquals(0, server.callCount("Encrypt") + server.callCount("GenerateDataKey"), server.callCounts().toString());
                System.out.printf("decrypt %d values + 1 BLOB with only aws-kms configured, %d CDKs: KMS calls %s%n",
                        values.size(), cdks, server.callCounts());
                assertTrue(plane.verify().ok(), String.join("\n", plane.verify().lines()));
            }
        }
    }
}
