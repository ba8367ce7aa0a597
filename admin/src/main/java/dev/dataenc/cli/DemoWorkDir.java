package dev.dataenc.cli;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.registry.RegistryDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The demo's files in its work directory: a configuration with three keystores ({@code local} ones, or
 * keystore-b an {@code aws-kms}, {@code pkcs11} or {@code azure-key-vault} one, see {@link KeystoreBMode}), the
 * PKCS#12 files of the local ones, the embedded H2 registry and the encrypted sample BLOB. Each run starts fresh by
 * deleting exactly these files (nothing else in the directory is touched).
 */
final class DemoWorkDir {

    static final String CONFIG = "dataenc.properties";
    static final String BLOB = "sample-blob.enc";
    static final List<String> KEYSTORES = List.of("keystore-a", "keystore-b", "keystore-c");
    /** Files of earlier demo versions and of H2, deleted too. */
    private static final List<String> OTHER_FILES = List.of("demo-local.p12", "registry.mv.db", "registry.trace.db",
            "registry.lock.db", BLOB, CONFIG);

    private final Path dir;

    DemoWorkDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    Path config() {
        return dir.resolve(CONFIG);
    }

    Path blob() {
        return dir.resolve(BLOB);
    }

    /** Deletes the files an earlier run left, closing its registry first if this JVM still has it open. */
    void clean() throws IOException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve("registry.mv.db"))) {
            shutdownQuietly(new RegistrySettings(RegistryDatabase.h2Url(dir), null, null));
        }
        for (String ks : KEYSTORES) {
            Files.deleteIfExists(dir.resolve(ks + ".p12"));
        }
        for (String f : OTHER_FILES) {
            Files.deleteIfExists(dir.resolve(f));
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + CONFIG + ".*.tmp")) {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
        }
    }

    /**
     * Writes the configuration: keystores A, B and C (each its own master key), A active, the registry
     * the H2 default beside the file. With {@code password} null the keystores read their password
     * from {@code $DATAENC_LOCAL_KEYSTORE_PASSWORD}. Keystore-b is what {@code keystoreB} says.
     */
    void writeConfig(String password, KeystoreBMode keystoreB) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by 'dataenc demo'; running the demo again deletes and rewrites it.\n");
        sb.append("# Try the admin commands on it: dataenc status --config ").append(config()).append('\n');
        sb.append("# Every key is documented in docs/CONFIGURATION.md.\n\n");
        sb.append("dataenc.cipher-type=platform\n");
        sb.append("dataenc.keystore.active=keystore-a\n");
        for (String ks : KEYSTORES) {
            String p = "dataenc.keystores." + ks + ".";
            if (ks.equals("keystore-b") && !keystoreB.configLines().isEmpty()) {
                sb.append('\n');
                keystoreB.configLines().forEach(line -> sb.append(line.startsWith("#") ? "" : p).append(line).append('\n'));
                continue;
            }
            sb.append('\n').append(p).append("type=local\n");
            sb.append(p).append("path=").append(ks).append(".p12\n");
            sb.append(p).append("master-key=demo-master-").append(ks.substring(ks.length() - 1)).append('\n');
            if (password != null) {
                sb.append(p).append("password=").append(password).append('\n');
            }
        }
        sb.append("\n# dataenc.registry.url is not set: the CDK registry is an H2 database beside this file.\n");
        Path file = config();
        Files.deleteIfExists(file);
        // owner-only from the start (the file names a keystore password), whatever the umask
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Closes the embedded H2 database in this JVM (its URL keeps it open until shut down), so that a
     * later run in the same JVM, such as a test, starts from the files on disk.
     */
    static void shutdownQuietly(RegistrySettings registry) {
        if (!registry.url().startsWith("jdbc:h2:")) {
            return;
        }
        // only if it exists, and no H2 trace file (H2 would create it 0644, and write it on the first error)
        String url = registry.url() + ";IFEXISTS=TRUE;TRACE_LEVEL_FILE=0";
        try (Connection c = DriverManager.getConnection(url, registry.user() == null ? "" : registry.user(),
                registry.password() == null ? "" : registry.password());
             Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // not open, or not ours: nothing to close
        }
    }
}
