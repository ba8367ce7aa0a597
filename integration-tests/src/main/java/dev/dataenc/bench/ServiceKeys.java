package dev.dataenc.bench;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.registry.RegistryDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;

/**
 * A host application's dataenc: a {@link DataEncService} started from a configuration file over a
 * real {@code local} keystore (temporary PKCS#12 file) and an embedded H2 registry, or a PostgreSQL
 * registry when a JDBC URL is given. What an application calls is {@link #service}'s ciphers: usage
 * counting per CDK, the usage ceiling and the ACTIVE-CDK rules included.
 */
final class ServiceKeys implements AutoCloseable {

    static final String PASSWORD = "bench-only-password";

    final Path dir;
    final Path configFile;

    /** Writes the keystore (with its master key) and the configuration file into a new temporary directory. */
    ServiceKeys(String registryUrl, String user) {
        this(newTempDir(), registryUrl, user);
    }

    /** As {@link #ServiceKeys(String, String)} in {@code dir}; reuses the files already there. */
    static ServiceKeys in(Path dir, String registryUrl, String user) {
        return new ServiceKeys(dir, registryUrl, user);
    }

    private static Path newTempDir() {
        try {
            return Files.createTempDirectory("dataenc-service-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServiceKeys(Path dir, String registryUrl, String user) {
        this.dir = dir;
        this.configFile = dir.resolve("dataenc.properties");
        if (Files.exists(configFile)) {
            return;
        }
        try {
            Path p12 = dir.resolve("a.p12");
            Keystores.createMasterKey(KeystoreSettings.of("a", "local", Map.of("path", p12.toString(),
                    "password", PASSWORD))); // opening never creates a master key
            String url = registryUrl != null ? registryUrl : RegistryDatabase.h2Url(dir);
            Files.writeString(configFile, String.join("\n",
                    "dataenc.cipher-type = platform",
                    "dataenc.keystore.active = a",
                    "dataenc.keystores.a.type = local",
                    "dataenc.keystores.a.path = " + p12,
                    "dataenc.keystores.a.password = " + PASSWORD,
                    "dataenc.registry.url = " + url,
                    user != null ? "dataenc.registry.user = " + user : "",
                    ""));
            Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An embedded H2 registry. */
    ServiceKeys() {
        this(null, null);
    }

    DataEncService start() {
        return DataEncService.start(configFile);
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
