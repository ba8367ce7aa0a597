package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.cluster.MasterKeyMismatchException;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.MotoServer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end switches of {@link LocalToKmsSwitchTest} and {@link KmsKeyToKeySwitchTest}, and a moved alias,
 * against moto: a KMS emulator written independently of this project and of its {@code KmsTestServer}, so a
 * shared misreading of the KMS API would show here. Lean (a few CDKs, a few hundred values, one moto for the
 * class); moto has no call counters, so the KMS call counts are asserted on KmsTestServer only. Without moto:
 * fails under {@code CI=true}, skipped otherwise.
 */
class KmsMotoSwitchTest {

    private static final String CONTEXT = "Customer.email";
    private static MotoServer moto;

    @TempDir
    Path dir;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startOrSkip();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private static KeystoreSettings kms(String name, String keyId, Map<String, String> extra) {
        Map<String, String> s = moto.keystoreSettings(keyId);
        s.putAll(extra);
        return KeystoreSettings.of(name, "aws-kms", s);
    }

    private static Map<String, String> encryptOverCdks(ControlPlane plane, int cdks, int perCdk) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < cdks; i++) {
            values.putAll(KmsFixture.encryptValues(plane, perCdk, "c" + i));
            if (i < cdks - 1) {
                plane.rotateCdk("test rotation");
            }
        }
        return values;
    }

    private static void assertAllDecrypt(ControlPlane plane, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), CONTEXT));
        }
    }

    @Test
    void localToKms_onMoto_everythingDecryptsWithKmsAlone() {
        MotoServer.Key key = moto.createKey();
        KeystoreSettings local = KmsFixture.local(dir, "local");
        KeystoreSettings kms = kms("kms", key.keyId(), Map.of());
        Map<String, String> values;
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "local", local, kms))) {
            values = encryptOverCdks(plane, 3, 40);
            SwitchOutcome outcome = plane.switchKeystore("kms");
            assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
            assertEquals(3, outcome.rewrapped());
            for (Cdk cdk : plane.registry().list()) {
                Wrapping w = cdk.wrappingBy("kms").orElseThrow(() -> new AssertionError("no kms wrapping: " + cdk.id()));
                assertEquals(key.arn(), w.masterKeyId(), "wrappings record the key ARN moto resolved");
            }
            values.putAll(KmsFixture.encryptValues(plane, 3, "after"));
        }
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms", kms))) {
            assertAllDecrypt(plane, values);
            assertTrue(plane.verify().ok(), String.join("\n", plane.verify().lines()));
        }
    }

    @Test
    void keyAToKeyB_reEncryptSwitch_onMoto_everythingDecryptsWithKeyBAlone() {
        MotoServer.Key keyA = moto.createKey();
        MotoServer.Key keyB = moto.createKey();
        moto.createAlias("alias/rotating", keyA.keyId());
        KeystoreSettings kmsA = kms("kms-a", keyA.arn(), Map.of());
        Map<String, String> values;
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-a", kmsA))) {
            values = encryptOverCdks(plane, 3, 40);
        }
        moto.updateAlias("alias/rotating", keyB.keyId());
        KeystoreSettings kmsB = kms("kms-b", "alias/rotating", Map.of("former-key-arns", keyA.arn()));
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-a", kmsA, kmsB))) {
            SwitchOutcome outcome = plane.switchKeystore("kms-b");
            assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
            assertEquals(3, outcome.rewrapped());
            for (Cdk cdk : plane.registry().list()) {
                Wrapping w = cdk.wrappingBy("kms-b").orElseThrow(() -> new AssertionError("no kms-b wrapping: " + cdk.id()));
                assertEquals(keyB.arn(), w.masterKeyId(), "the wrapping records key B's ARN, not the alias");
            }
            values.putAll(KmsFixture.encryptValues(plane, 3, "after"));
        }
        KeystoreSettings kmsBAlone = kms("kms-b", keyB.arn(), Map.of());
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-b", kmsBAlone))) {
            assertAllDecrypt(plane, values);
        }
    }

    @Test
    void aliasMoved_onMoto_oldKeyReadOnlyWhenListed() {
        MotoServer.Key keyA = moto.createKey();
        MotoServer.Key keyB = moto.createKey();
        moto.createAlias("alias/moving", keyA.keyId());
        KeystoreSettings byAlias = kms("kms", "alias/moving", Map.of());
        Map<String, String> values;
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms", byAlias))) {
            values = encryptOverCdks(plane, 2, 50);
        }
        moto.updateAlias("alias/moving", keyB.keyId());
        String one = values.keySet().iterator().next();
        // reopened, the keystore resolves to key B and does not list key A: it cannot unwrap the ACTIVE CDK, so the
        // node does not start (failing fast, naming both keys) instead of failing at its first encryption
        MasterKeyMismatchException refused = assertThrows(MasterKeyMismatchException.class,
                () -> KmsFixture.open(KmsFixture.config(dir, "kms", byAlias)).close());
        assertTrue(refused.getMessage().contains(keyA.arn()), refused.getMessage());
        assertTrue(values.containsKey(one));
        KeystoreSettings listing = kms("kms", "alias/moving", Map.of("former-key-arns", keyA.arn()));
        try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms", listing))) {
            assertAllDecrypt(plane, values);
            plane.rotateCdk("after the alias moved");
            KmsFixture.encryptValues(plane, 1, "new");
            Cdk newest = plane.registry().list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).findFirst()
                    .orElseThrow();
            assertEquals(keyB.arn(), newest.wrappingBy("kms").orElseThrow().masterKeyId(), "new CDKs under key B");
        }
    }
}
