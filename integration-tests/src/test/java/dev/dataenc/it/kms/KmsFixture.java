package dev.dataenc.it.kms;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.kms.testing.KmsTestServer;
import dev.dataenc.registry.RegistryDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data-encryption configurations for the control plane over real keystores: {@code local} ones in a
 * directory, {@code aws-kms} ones talking HTTP to a {@link KmsTestServer}, and the H2 registry in the
 * same directory.
 */
final class KmsFixture {

    private KmsFixture() {
    }

    /** A local keystore {@code name} with its PKCS#12 file in {@code dir}, created if missing (opening never creates). */
    static KeystoreSettings local(Path dir, String name) {
        KeystoreSettings settings = KeystoreSettings.of(name, "local", Map.of("path", dir.resolve(name + ".p12").toString(),
                "password", "it-password-local", "master-key", "mk-" + name));
        if (!java.nio.file.Files.exists(dir.resolve(name + ".p12"))) {
            dev.dataenc.keystore.Keystores.createMasterKey(settings);
        }
        return settings;
    }

    /** An aws-kms keystore {@code name} on the server, using {@code keyId} (key id, ARN or alias). */
    static KeystoreSettings kms(KmsTestServer server, String name, String keyId) {
        return kms(server, name, keyId, Map.of());
    }

    /** As {@link #kms(KmsTestServer, String, String)}, with settings added or overridden. */
    static KeystoreSettings kms(KmsTestServer server, String name, String keyId, Map<String, String> extra) {
        Map<String, String> s = server.keystoreSettings(keyId);
        s.putAll(extra);
        return KeystoreSettings.of(name, "aws-kms", s);
    }

    /** Configuration with the given keystores, {@code active} active, registry in H2 under {@code dir}. */
    static DataEncConfig config(Path dir, String active, KeystoreSettings... keystores) {
        Map<String, KeystoreSettings> map = new LinkedHashMap<>();
        for (KeystoreSettings k : keystores) {
            map.put(k.name(), k);
        }
        return new DataEncConfig(null, CipherType.ofKeystoreType(map.get(active).type()), active, map,
                new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", ""), CacheLimits.defaults(),
                RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    /** An application's control plane: reconciles on open. */
    static ControlPlane open(DataEncConfig config) {
        return ControlPlane.open(config, new ControlPlane.Options("it", CrashPoint.NONE, SwitchProgress.NONE,
                Duration.ofSeconds(60), true));
    }

    /** Property values encrypted as {@code "value i"} under context {@code Customer.email}: ciphertext to plaintext. */
    static Map<String, String> encryptValues(ControlPlane plane, int count, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String plain = prefix + " " + i;
            values.put(plane.propertyCipher().encryptString(plain, "Customer.email"), plain);
        }
        return values;
    }

    /**
     * What a refused switch must leave alone: every CDK's status and wrappings (bytes included), the
     * registry's active keystore and the number of switch jobs.
     */
    record Snapshot(List<String> cdks, String activeKeystore, int jobs) {
        static Snapshot of(ControlPlane plane) {
            List<String> cdks = new ArrayList<>();
            for (Cdk c : plane.registry().list()) {
                cdks.add(c.id() + " " + c.status() + " " + c.wrappings().stream()
                        .map(w -> w.keystoreName() + "/" + w.masterKeyId() + "/" + w.masterKeyVersion() + "/"
                                + Base64.getEncoder().encodeToString(w.wrappedKey()))
                        .toList());
            }
            return new Snapshot(cdks, plane.jobs().state().orElseThrow().activeKeystore(), plane.jobs().history(100).size());
        }
    }
}
