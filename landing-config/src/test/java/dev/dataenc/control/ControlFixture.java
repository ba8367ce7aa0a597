package dev.dataenc.control;

import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchProgress;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.KeystoreFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds data-encryption configurations of real {@code local} keystores in a directory, with an H2 or given registry. */
final class ControlFixture {

    static final String PASSWORD = "fixture-password";

    private ControlFixture() {
    }

    /** A local keystore {@code name} with its PKCS#12 file in {@code dir} (created, as by {@code dataenc keystore create}, if missing). */
    static KeystoreSettings local(Path dir, String name) {
        return local(dir, name, PASSWORD);
    }

    static KeystoreSettings local(Path dir, String name, String password) {
        return KeystoreFiles.provide(KeystoreSettings.of(name, "local", Map.of("path", dir.resolve(name + ".p12").toString(),
                "password", password, "master-key", "mk-" + name)));
    }

    /** Configuration with the given keystores, {@code active} active, registry in H2 under {@code dir}. */
    static DataEncConfig config(Path dir, String active, KeystoreSettings... keystores) {
        return config(new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", ""), active, keystores);
    }

    static DataEncConfig config(RegistrySettings registry, String active, KeystoreSettings... keystores) {
        Map<String, KeystoreSettings> map = new LinkedHashMap<>();
        for (KeystoreSettings k : keystores) {
            map.put(k.name(), k);
        }
        return new DataEncConfig(null, CipherType.ofKeystoreType(map.get(active).type()), active, map, registry,
                CacheLimits.defaults(), RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    static ControlPlane.Options options() {
        return new ControlPlane.Options("test", CrashPoint.NONE, SwitchProgress.NONE, Duration.ofSeconds(60), true);
    }
}
