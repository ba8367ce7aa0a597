package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.kms.testing.KmsTestServer;

import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A switch to an {@code aws-kms} keystore whose key is unusable is refused by the target guard: the
 * message names the key state and KMS's remedy, and the registry (CDKs and their wrappings), its active
 * keystore and the switch job history are unchanged; no CDK was generated in KMS.
 */
class KmsSwitchGuardTest {

    /** How the target key is made unusable, and the state the refusal must name. */
    enum BadKey {
        DISABLED(MasterKeyState.DISABLED, s -> {
            KmsTestServer.Key k = s.createKey();
            s.disableKey(k.keyId());
            return k.keyId();
        }),
        PENDING_DELETION(MasterKeyState.PENDING_DELETION, s -> {
            KmsTestServer.Key k = s.createKey();
            s.scheduleKeyDeletion(k.keyId(), 7);
            return k.arn();
        }),
        NOT_FOUND(MasterKeyState.NOT_FOUND, s -> UUID.randomUUID().toString()),
        EXTERNAL_STORE_DISCONNECTED(MasterKeyState.EXTERNAL_STORE_DISCONNECTED, s -> {
            String store = s.createExternalKeyStore("xks-it");
            KmsTestServer.Key k = s.createKeyInCustomKeyStore(store);
            s.createAlias("alias/xks", k.keyId());
            s.disconnectCustomKeyStore(store);
            return "alias/xks";
        });

        final MasterKeyState state;
        final Function<KmsTestServer, String> keyId;

        BadKey(MasterKeyState state, Function<KmsTestServer, String> keyId) {
            this.state = state;
            this.keyId = keyId;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BadKey.class)
    void switchToUnusableKmsKey_refusedWithStateAndRemedy_nothingChanged(BadKey bad) {
        try (KmsTestServer server = KmsTestServer.start()) {
            KeystoreSettings local = KmsFixture.local(dir, "local");
            KeystoreSettings kms = KmsFixture.kms(server, "kms", server.createKey().keyId());
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "local", local, kms))) {
                KmsFixture.encryptValues(plane, 10, "v");
                plane.rotateCdk("test rotation");
            }
            KeystoreSettings target = KmsFixture.kms(server, "kms", bad.keyId.apply(server));
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "local", local, target))) {
                KmsFixture.Snapshot before = KmsFixture.Snapshot.of(plane);
                server.resetCounts();

                SwitchRefusedException e = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("kms"));

                String message = e.getMessage();
                System.out.println(bad + ": " + message);
                assertTrue(message.contains("target keystore"), message);
                assertTrue(message.contains(bad.state.name()), "names the state " + bad.state + ": " + message);
                assertTrue(message.contains(bad.state.remedy()), "gives the remedy: " + message);
                assertEquals(before, KmsFixture.Snapshot.of(plane), "registry, active keystore and job history unchanged");
                assertEquals("local", plane.jobs().state().orElseThrow().activeKeystore());
                assertEquals(0, server.callCount("GenerateDataKey") + server.callCount("Encrypt")
                        + server.callCount("ReEncrypt"), "no KMS wrapping made: " + server.callCounts());
                assertEquals(1, plane.audit().byAction(AuditAction.SWITCH_REFUSED).size());
            }
        }
    }
}
