package dev.dataenc.registry;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The file behind a {@code jdbc:h2:file:} registry URL, looked at before H2 opens it:
 * <ul>
 *   <li>A registry that does not exist yet is created privately: H2 creates it in a new directory
 *       only this process can enter (0700), beside the final place, the file is made 0600 and then
 *       hard-linked into place (atomic; a concurrent creator wins, and this one opens theirs). A
 *       missing parent directory is created 0700. The registry file is therefore never readable by
 *       others, not even for a moment, and never half-created in place.</li>
 *   <li>An existing file must be a readable, writable regular file that is whole
 *       ({@link H2StoreCheck}); an empty (0-byte), cut-off or unreadable file is refused with the
 *       cause ({@link RegistryFileException}) and left as it is, never re-initialised.</li>
 *   <li>A registry in H2 1.x format ({@code .h2.db}) is refused: H2 2 would silently create a new one
 *       beside it.</li>
 * </ul>
 * H2 is then opened with {@code IFEXISTS=TRUE}, so it never creates the file itself, and with
 * {@code TRACE_LEVEL_FILE=0}, so it writes no {@code .trace.db} file (H2's errors reach dataenc as
 * exceptions).
 */
final class H2RegistryFile {

    private static final String PREFIX = "jdbc:h2:file:";

    private final Path base;
    private final String options;

    private H2RegistryFile(Path base, String options) {
        this.base = base;
        this.options = options;
    }

    /** The file of an embedded H2 URL, or empty for any other URL. */
    static Optional<H2RegistryFile> of(String url) {
        if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        int semi = url.indexOf(';');
        String path = semi < 0 ? url.substring(PREFIX.length()) : url.substring(PREFIX.length(), semi);
        String options = semi < 0 ? "" : url.substring(semi);
        Path base;
        if (path.startsWith("~")) {
            base = Path.of(System.getProperty("user.home") + path.substring(1));
        } else if (Path.of(path).isAbsolute() || path.startsWith("./") || path.startsWith("../")) {
            base = Path.of(path).toAbsolutePath();
        } else {
            throw new RegistryFileException(Path.of(path), "The registry URL's H2 path '" + path + "' is relative to"
                    + " whatever directory the process starts in; write an absolute path (jdbc:h2:file:/var/lib/dataenc/"
                    + "registry) or one starting with ./", null);
        }
        return Optional.of(new H2RegistryFile(base.normalize(), options));
    }

    /** {@code <base>.mv.db}. */
    Path file() {
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    /** The URL to open the (now existing) registry with: H2 must not create it. */
    String openUrl() {
        return PREFIX + base + options + ";IFEXISTS=TRUE;TRACE_LEVEL_FILE=0";
    }

    /**
     * Checks the existing file, or creates a new registry file when there is none.
     *
     * @throws RegistryFileException if the file exists but is not a whole, readable H2 file
     * @throws RegistryException     if a new file cannot be created
     */
    void checkOrCreate(String user, String password) {
        Path file = file();
        if (Files.exists(file) || Files.isSymbolicLink(file)) {
            check(file);
            return;
        }
        Path legacy = base.resolveSibling(base.getFileName() + ".h2.db");
        if (Files.exists(legacy)) {
            throw new RegistryFileException(legacy, "The registry " + legacy + " is in H2 1.x format, which this H2 cannot"
                    + " read, and dataenc will not start a new registry beside it. Export it with H2 1.4's Script tool and"
                    + " import it with H2 2's RunScript (see H2's migration guide), then start again.", null);
        }
        create(file, user, password);
        check(file);
    }

    /**
     * Checks the file if there is one, creating and changing nothing (for commands that only look: H2 would otherwise
     * start a new store in an empty file, or write to a damaged one).
     *
     * @throws RegistryFileException if the file exists but is not a whole, readable H2 file
     */
    void checkIfPresent() {
        Path file = file();
        if (Files.exists(file) || Files.isSymbolicLink(file)) {
            check(file);
        }
    }

    private void check(Path file) {
        String reason;
        IOException cause = null;
        try {
            if (!Files.isRegularFile(file)) {
                reason = Files.exists(file) ? "it is not a regular file" : "it is a dangling symbolic link";
            } else if (!Files.isReadable(file) || !Files.isWritable(file)) {
                // nothing is wrong with the data: restoring or deleting the file is not the remedy
                throw new RegistryFileException(file, "The CDK registry file " + file + " is refused: this process"
                        + " cannot read and write it. It was not changed. Run as the user that owns it, or give this user"
                        + " read and write access to it (and its directory); do not delete or replace it.", null);
            } else if (Files.size(file) == 0) {
                reason = "it is empty (0 bytes)";
            } else {
                reason = H2StoreCheck.problem(file).orElse(null);
            }
        } catch (IOException e) {
            cause = e;
            reason = "it cannot be read (" + e.getMessage() + ")";
        }
        if (reason != null) {
            throw new RegistryFileException(file, "The CDK registry file " + file + " is refused: " + reason + ". It was"
                    + " not changed, and dataenc will not start a new registry over it (a new registry would generate a new"
                    + " CDK and leave every existing ciphertext unreadable). Restore the file from a backup; only if no data"
                    + " was ever encrypted with this registry, delete it to start a new one.", cause);
        }
    }

    private void create(Path file, String user, String password) {
        Path dir = file.getParent();
        Path workDir = null;
        try {
            createPrivateDirectories(dir);
            workDir = Files.createTempDirectory(dir, ".dataenc-registry-new-");
            Path workBase = workDir.resolve(base.getFileName().toString());
            try (Connection c = DriverManager.getConnection(PREFIX + workBase + options + ";WRITE_DELAY=0;TRACE_LEVEL_FILE=0",
                    user, password);
                 Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            Path created = workDir.resolve(file.getFileName().toString());
            PosixFileAttributeView view = Files.getFileAttributeView(created, PosixFileAttributeView.class);
            if (view != null) {
                view.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            try {
                Files.createLink(file, created);
            } catch (FileAlreadyExistsException raced) {
                // another process created the registry meanwhile: use theirs
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    Files.move(created, file);
                }
            }
        } catch (IOException | SQLException e) {
            throw new RegistryException("cannot create the CDK registry file " + file + ": " + e.getMessage()
                    + ". Check that its directory is writable and has free space.", e);
        } finally {
            deleteQuietly(workDir);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        if (Files.getFileStore(parent == null ? dir.getRoot() : parent).supportsFileAttributeView("posix")) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
    }

    private static void deleteQuietly(Path workDir) {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(workDir);
        } catch (IOException ignored) {
            // a leftover empty directory named .dataenc-registry-new-* is harmless
        }
    }

    @Override
    public String toString() {
        return "H2RegistryFile[" + file() + "]";
    }
}
