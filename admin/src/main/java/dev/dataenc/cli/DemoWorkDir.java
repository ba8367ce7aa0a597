package dev.dataenc.cli;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.error.DataEncException;
import dev.dataenc.registry.RegistryDatabase;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's files in its work directory: a configuration with three keystores ({@code local} ones, or
 * keystore-b an {@code aws-kms}, {@code pkcs11} or {@code azure-key-vault} one, see {@link KeystoreBMode}), the
 * PKCS#12 files of the local ones, the embedded H2 registry and the encrypted sample BLOB. Each run starts fresh by
 * deleting exactly these files (nothing else in the directory is touched), and only if the configuration there is
 * the demo's: a directory with another configuration or registry (an installation's) is refused, never emptied.
 */
final class DemoWorkDir {

    static final String CONFIG = "dataenc.properties";
    static final String BLOB = "sample-blob.enc";
    static final List<String> KEYSTORES = List.of("keystore-a", "keystore-b", "keystore-c");
    /** How the configuration the demo writes starts. */
    private static final String MARK = "# Written by 'dataenc demo'";
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

    /**
     * Deletes the files an earlier run left, closing its registry first if this JVM still has it open.
     *
     * @throws DataEncException changing nothing, if the directory holds such files but its configuration is not the
     *                          demo's (another installation's registry and keystores would be deleted)
     */
    void clean() throws IOException {
        List<String> names = new ArrayList<>(List.of(CONFIG));
        OTHER_FILES.stream().filter(f -> !f.equals(CONFIG)).forEach(names::add);
        KEYSTORES.forEach(ks -> names.add(ks + ".p12"));
        List<String> present = names.stream().filter(f -> Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS))
                .toList();
        if (!present.isEmpty() && !writtenByDemo(config())) {
            throw new DataEncException("--work-dir " + dir + " holds " + String.join(", ", present) + ", which 'dataenc"
                    + " demo' did not write; the demo deletes and rewrites its files, so it refuses: give it an empty"
                    + " directory or its own (default dataenc-work)");
        }
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

    /** Whether {@code file} is a regular file (not a link) that starts as the demo's configuration does. */
    private static boolean writtenByDemo(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            char[] start = new char[MARK.length()];
            return r.read(start) == start.length && new String(start).equals(MARK);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the configuration: keystores A, B and C (each its own master key), A active, the registry
     * the H2 default beside the file. With {@code password} null the keystores read their password
     * from {@code $DATAENC_LOCAL_KEYSTORE_PASSWORD}. Keystore-b is what {@code keystoreB} says.
     */
    void writeConfig(String password, KeystoreBMode keystoreB) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(MARK).append("; running the demo again deletes and rewrites it.\n");
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
