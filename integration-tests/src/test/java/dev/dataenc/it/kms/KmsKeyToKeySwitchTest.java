package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manual rotation of the KMS key: {@code kms-a} is pinned to key A's ARN. An administrator moves {@code alias/app}
 * from A to the new key B and adds {@code kms-b} (key-id {@code alias/app}, {@code former-key-arns} = A) to the
 * configuration; the switch to {@code kms-b} re-wraps every CDK with {@code ReEncrypt} (the plaintext CDK never
 * leaves KMS). Each keystore accepts only the key it resolved when opened plus the keys it lists, so when the alias
 * moves on again, key B must be listed before data wrapped under it is read: a moved alias alone never widens what a
 * keystore accepts.
 */
class KmsKeyToKeySwitchTest {

    @TempDir
    Path dir;

    @Test
    void aliasMovedToNewKey_switchReEncryptsEveryCdk_andOldDataDecryptsWithNewKeystoreAlone() {
        try (KmsTestServer server = KmsTestServer.start()) {
            KmsTestServer.Key keyA = server.createKey();
            KmsTestServer.Key keyB = server.createKey();
            server.createAlias("alias/app", keyA.keyId());
            KeystoreSettings kmsA = KmsFixture.kms(server, "kms-a", keyA.arn());
            Map<String, String> values = new LinkedHashMap<>();
            int oldCdks;
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-a", kmsA))) {
                for (int round = 0; round < 3; round++) {
                    values.putAll(KmsFixture.encryptValues(plane, 500, "r" + round));
                    plane.rotateCdk("test rotation");
                }
                oldCdks = plane.registry().list().size();
                assertEquals(4, oldCdks);
            }

            server.updateAlias("alias/app", keyB.keyId()); // the manual rotation: a new key behind the alias
            KeystoreSettings kmsB = KmsFixture.kms(server, "kms-b", "alias/app", Map.of("former-key-arns", keyA.arn()));
            server.resetCounts();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-a", kmsA, kmsB))) {
                SwitchOutcome outcome = plane.switchKeystore("kms-b");

                Map<String, Integer> calls = server.callCounts();
                System.out.printf("aws-kms key A -> key B switch, %d CDKs: KMS calls %s%n", oldCdks, calls);
                assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
                assertEquals(oldCdks, outcome.rewrapped());
                assertEquals(oldCdks, server.callCount("ReEncrypt"), "one ReEncrypt per old CDK: " + calls);
                assertEquals(1, server.callCount("Encrypt"), "no CDK plaintext sent to KMS; the one Encrypt is the"
                        + " target guard's probe of a throw-away key: " + calls);
                assertEquals(1, server.callCount("GenerateDataKey"), calls.toString());
                assertEquals(oldCdks + 2, server.callCount("Decrypt"), "a verifying Decrypt per CDK + the probe + the start"
                        + " check that this node can unwrap the ACTIVE CDK (it stays cached): " + calls);
                assertTrue(server.totalCalls() <= 3 * oldCdks + 8, calls.toString());

                for (Cdk cdk : plane.registry().list()) {
                    Wrapping w = cdk.wrappingBy("kms-b").orElseThrow(() -> new AssertionError("no kms-b wrapping: " + cdk.id()));
                    assertEquals(keyB.arn(), w.masterKeyId(), "the wrapping records key B's ARN, not the alias");
                }
                values.putAll(KmsFixture.encryptValues(plane, 3, "after"));
            }

            server.disableKey(keyA.keyId()); // key A is not needed any more
            server.updateAlias("alias/app", server.createKey().keyId()); // and the alias moves on to key C
            String someValue = values.keySet().iterator().next();
            // kms-b now resolves to key C and does not list key B: B's wrappings are refused, so the node cannot unwrap
            // the ACTIVE CDK and does not start (naming key B), rather than failing at its first encryption
            DataEncException refused = assertThrows(DataEncException.class,
                    () -> KmsFixture.open(KmsFixture.config(dir, "kms-b", kmsB)).close());
            assertTrue(refused.getMessage().contains(keyB.arn()), refused.getMessage());
            assertTrue(values.containsKey(someValue));
            // key A is retired (its wrappings stay until remove-wrappings): list key B only
            KeystoreSettings kmsBListingB = KmsFixture.kms(server, "kms-b", "alias/app", Map.of("former-key-arns", keyB.arn()));
            server.resetCounts();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-b", kmsBListingB))) {
                for (Map.Entry<String, String> e : values.entrySet()) {
                    assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
                }
                assertTrue(server.callCount("Decrypt") <= oldCdks + 1, server.callCounts().toString());
                assertEquals(0, server.callCount("ReEncrypt") + server.callCount("Encrypt"), server.callCounts().toString());
            }
        }
    }
}
