package dev.dataenc.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} over the regular files under a directory tree (symbolic links are skipped, never followed).
 * A replace writes the new content to a temporary file ({@value #TEMP_PREFIX}..., 0600) in the same directory,
 * forces it to disk, gives it the old file's permissions and moves it over the old one with
 * {@code ATOMIC_MOVE}: a crash leaves the old file or the new one, never a half one (and at worst a stray
 * temporary file, which {@link #keys()} ignores and the first replace in its directory by a later process removes:
 * temporary files are owned, see {@link OwnedTempFiles}). The replace is refused if the path no longer holds the file that
 * was read (another file key or modification time): an application that rewrote it meanwhile keeps its write.
 * The check and the move are two steps; a filesystem has no compare-and-set, so a write landing between them
 * (microseconds) is not detected.
 */
public final class FileSystemBlobStore implements BlobStore {

    /** Prefix of the temporary files a replace writes next to the file it replaces. */
    public static final String TEMP_PREFIX = ".dataenc-tmp-";

    private final Path root;
    private final Runnable beforeMove;
    /** The temporary files replaces write, owned by this process; owner files at the root ({@link OwnedTempFiles}). */
    private final OwnedTempFiles temps;
    /** The directories whose stale temporary files this store removed already. */
    private final Set<Path> cleaned = ConcurrentHashMap.newKeySet();

    /** The files under {@code root}, which must be a directory. */
    public FileSystemBlobStore(Path root) {
        this(root, () -> { });
    }

    /** As above, running {@code beforeMove} when a new file is written and about to be moved (tests crash there). */
    FileSystemBlobStore(Path root, Runnable beforeMove) {
        Path abs = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new RecordSourceException("blob directory " + abs + " does not exist or is not a directory; give the"
                    + " directory the application keeps its encrypted files in (--blob-dir)");
        }
        this.root = abs;
        this.beforeMove = Objects.requireNonNull(beforeMove, "beforeMove");
        this.temps = new OwnedTempFiles(abs, TEMP_PREFIX, ".part");
    }

    @Override
    public String name() {
        return "file:" + root;
    }

    @Override
    public List<String> keys() throws IOException {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .forEach(p -> keys.add(keyOf(p)));
        }
        keys.sort(null);
        return keys;
    }

    private String keyOf(Path file) {
        String key = root.relativize(file).toString();
        return SEPARATOR.equals("/") ? key : key.replace(SEPARATOR, "/");
    }

    private static final String SEPARATOR = FileSystems.getDefault().getSeparator();

    private Path resolve(String key) {
        Path p = root.resolve(key.replace("/", SEPARATOR)).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("key " + key + " is outside the blob directory");
        }
        return p;
    }

    /** A file as read: its identity (file key, or modification time where the filesystem has none) and length. */
    private record FileVersion(Path path, Object fileKey, long modified, long length) implements Version {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
        }

        boolean sameAs(BasicFileAttributes now) {
            return Objects.equals(fileKey, now.fileKey()) && modified == now.lastModifiedTime().toMillis()
                    && length == now.size();
        }
    }

    @Override
    public Optional<Version> get(String key) throws IOException {
        Path p = resolve(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new FileVersion(p, a.fileKey(), a.lastModifiedTime().toMillis(), a.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean replace(String key, Version expected, Path content) throws IOException {
        Path target = resolve(key);
        Path dir = target.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (cleaned.add(dir)) {
            // what a killed migration left: in this directory, once per directory; its owner files, once
            temps.removeStale(dir);
            if (cleaned.size() == 1) {
                temps.removeGoneOwners();
            }
        }
        Path temp;
        try {
            temp = temps.create(dir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try {
            try (InputStream in = Files.newInputStream(content);
                 FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                in.transferTo(out);
                out.flush();
                ch.force(true);
            }
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return false;
            }
            if (!(expected instanceof FileVersion v) || !v.sameAs(now)) {
                return false;
            }
            if (posix) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(temp, mode);
            }
            beforeMove.run();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the filesystem of " + dir + " cannot replace files atomically; BLOB files there"
                        + " are not migrated (a crash could leave a half file)", e);
            }
            forceDirectory(dir);
            return true;
        } finally {
            temps.delete(temp); // gone already when moved; the owner file goes with the last temporary file
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); best effort elsewhere. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform: the rename is atomic, only its durability waits for the OS
        }
    }

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }
}
