package dev.dataenc.testing;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.local.LocalKeystoreFiles;

import java.nio.file.Path;

/**
 * Gives the {@code local} keystores of a test configuration their files before the configuration is used,
 * as an administrator does with {@code dataenc keystore create} (opening a keystore never creates one). See
 * {@link LocalKeystoreFiles}: each master key is created once per JVM and copied.
 */
public final class KeystoreFiles {

    private KeystoreFiles() {
    }

    /** Provides the file of one {@code local} keystore (other types are returned unchanged). */
    public static KeystoreSettings provide(KeystoreSettings settings) {
        return settings.type().equals("local") ? LocalKeystoreFiles.provide(settings) : settings;
    }

    /** Provides the files of every {@code local} keystore the configuration file names; returns the file. */
    public static Path provideAll(Path configFile) {
        ConfigLoader.load(configFile).keystores().values().forEach(KeystoreFiles::provide);
        return configFile;
    }
}
