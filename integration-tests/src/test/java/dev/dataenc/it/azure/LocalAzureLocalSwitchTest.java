package dev.dataenc.it.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.RegistryDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} → {@code azure-key-vault} → {@code local} through the control plane, the real Azure SDK talking HTTPS
 * to the Key Vault test double (the service-loaded provider gets the test clients from the test-jar's
 * {@code AzureClientsSource}). A key rotation in the vault between the switches: the wrappings made by the first version
 * still unwrap. After each switch every CDK has a wrapping by the target, and everything decrypts with only the target.
 */
class LocalAzureLocalSwitchTest {

    @TempDir
    Path dir;

    @Test
    void switchLocalToAzureAndBack_everyValueDecryptsWithEachKeystoreAlone() {
        try (KeyVaultTestServer server = KeyVaultTestServer.start()) {
            String v1 = server.createRsaKey("it-master");
            KeystoreSettings local = KeystoreSettings.of("local", "local", Map.of("path",
                    dir.resolve("local.p12").toString(), "password", "it-password-local", "master-key", "mk-local"));
            Keystores.createMasterKey(local);
            KeystoreSettings azure = KeystoreSettings.of("vault", "azure-key-vault", Map.of("vault-url",
                    server.vaultUrl(), "key-name", "it-master"));

            Map<String, String> values = new LinkedHashMap<>();
            try (ControlPlane plane = open(config("local", local, azure))) {
                values.putAll(encrypt(plane, 20, "before"));
                plane.rotateCdk("test rotation");
                values.putAll(encrypt(plane, 20, "rotated"));

                SwitchOutcome outcome = plane.switchKeystore("vault");

                assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
                assertEquals(2, outcome.rewrapped());
                assertEquals(CipherType.KEYSTORE, plane.jobs().state().orElseThrow().cipherType());
                for (Cdk cdk : plane.registry().list()) {
                    Wrapping w = cdk.wrappingBy("vault").orElseThrow(() -> new AssertionError("no vault wrapping: " + cdk.id()));
                    assertEquals(server.vaultUrl() + "/keys/it-master", w.masterKeyId());
                    assertEquals(v1, w.masterKeyVersion());
                }
                values.putAll(encrypt(plane, 10, "after-first-switch"));
            }

            String v2 = server.rotate("it-master");
            try (ControlPlane plane = open(config("vault", azure))) {
                assertDecrypts(plane, values);
                plane.rotateCdk("after key rotation");
                values.putAll(encrypt(plane, 10, "azure-only"));
                assertTrue(plane.registry().list().stream().anyMatch(c -> c.wrappingBy("vault")
                        .map(w -> w.masterKeyVersion().equals(v2)).orElse(false)), "a CDK wrapped by the new version");
                assertTrue(plane.verify().ok(), String.join("\n", plane.verify().lines()));
            }

            try (ControlPlane plane = open(config("vault", local, azure))) {
                SwitchOutcome back = plane.switchKeystore("local");
                assertEquals(SwitchOutcome.How.COMPLETED, back.how());
                assertEquals(CipherType.PLATFORM, plane.jobs().state().orElseThrow().cipherType());
                for (Cdk cdk : plane.registry().list()) {
                    assertTrue(cdk.wrappingBy("local").isPresent(), "no local wrapping: " + cdk.id());
                }
            }

            try (ControlPlane plane = open(config("local", local))) {
                assertDecrypts(plane, values);
                assertEquals(60, values.size());
                assertTrue(plane.verify().ok(), String.join("\n", plane.verify().lines()));
            }
        }
    }

    private DataEncConfig config(String active, KeystoreSettings... keystores) {
        Map<String, KeystoreSettings> map = new LinkedHashMap<>();
        for (KeystoreSettings k : keystores) {
            map.put(k.name(), k);
        }
        return new DataEncConfig(null, CipherType.ofKeystoreType(map.get(active).type()), active, map,
                new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", ""), CacheLimits.defaults(),
                RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private static ControlPlane open(DataEncConfig config) {
        return ControlPlane.open(config, new ControlPlane.Options("it", CrashPoint.NONE, SwitchProgress.NONE,
                Duration.ofSeconds(60), true));
    }

    private static Map<String, String> encrypt(ControlPlane plane, int count, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String plain = prefix + " " + i;
            values.put(plane.propertyCipher().encryptString(plain, "Customer.email"), plain);
        }
        return values;
    }

    private static void assertDecrypts(ControlPlane plane, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
        }
    }
}
