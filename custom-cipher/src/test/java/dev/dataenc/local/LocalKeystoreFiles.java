package dev.dataenc.local;

import dev.dataenc.keystore.KeystoreSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support: gives a {@code local} keystore its file before it is opened, as an administrator does with
 * {@code dataenc keystore create} on one node and a copy on the others. Creating a file costs about a second
 * (600,000 PBKDF2 iterations per key bag and for the MAC), so each (master-key, password) pair is created once
 * per JVM, really, with {@link LocalKeystore#createMasterKey}, and copied: tests that need keys distinct from
 * every other test's create their own. Shipped in the custom-cipher test-jar.
 */
public final class LocalKeystoreFiles {

    private static final Map<String, Path> TEMPLATES = new ConcurrentHashMap<>();
    private static volatile Path templateDir;

    private LocalKeystoreFiles() {
    }

    /**
     * Makes sure the file named by {@code settings} ({@code path}, inline {@code password}, {@code master-key})
     * exists: copies this JVM's template for that master key and password, creating the template first. A file
     * that exists already is left alone. Settings without an inline password are created for real.
     *
     * @return the settings, for chaining
     */
    public static KeystoreSettings provide(KeystoreSettings settings) {
        Path target = Path.of(settings.require(LocalKeystoreConfig.PATH)).toAbsolutePath();
        if (Files.exists(target)) {
            return settings;
        }
        Optional<String> password = settings.get(LocalKeystoreConfig.PASSWORD);
        if (password.isEmpty()) {
            LocalKeystore.createMasterKey(settings);
            return settings;
        }
        String masterKey = settings.get(LocalKeystoreConfig.MASTER_KEY, LocalKeystoreConfig.DEFAULT_MASTER_KEY);
        Path template = TEMPLATES.computeIfAbsent(masterKey + "\u0000" + settings.values().get(LocalKeystoreConfig.PASSWORD),
                k -> createTemplate(settings, masterKey));
        try {
            Files.copy(template, target, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return settings;
    }

    private static Path createTemplate(KeystoreSettings settings, String masterKey) {
        try {
            Path file = Files.createTempFile(dir(), "template-", ".p12");
            Files.delete(file);
            file.toFile().deleteOnExit();
            LocalKeystore.createMasterKey(KeystoreSettings.of(settings.name(), settings.type(), Map.of(
                    LocalKeystoreConfig.PATH, file.toString(),
                    LocalKeystoreConfig.PASSWORD, settings.values().get(LocalKeystoreConfig.PASSWORD),
                    LocalKeystoreConfig.MASTER_KEY, masterKey)));
            Path.of(file + ".lock").toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path dir() throws IOException {
        if (templateDir == null) {
            templateDir = Files.createTempDirectory("dataenc-keystore-templates");
            templateDir.toFile().deleteOnExit();
        }
        return templateDir;
    }
}
