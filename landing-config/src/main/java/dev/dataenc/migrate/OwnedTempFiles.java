package dev.dataenc.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files (0600) of one process that a later process removes once their owner is gone, killed with
 * {@code kill -9} included: without this, every crash of a BLOB migration left the new ciphertexts of the chunk in
 * flight behind, and a migration that crashed again and again filled the disk.
 *
 * <p>Each process owning such files holds an operating-system lock on an <em>owner file</em>
 * {@code <prefix><token>.lock} in the lock directory for as long as it runs; its temporary files are named
 * {@code <prefix><token>-<random><suffix>}. The owner file is locked under another name first and then renamed, so
 * an owner file under its final name is locked from the moment it exists. The operating system releases the lock
 * when the process dies, however it dies, so another process that can take the lock knows the owner is gone and
 * removes its files ({@link #removeStale}). The owner file exists only while the process has such files: the last
 * {@link #delete} or {@link #gone} removes it, so a process that ends cleanly leaves nothing. A lock that is held, or held by this JVM, means the owner runs: its files
 * are left alone. The lock works across processes sharing the directory, containers included (on NFS, as far as
 * the server supports locks).
 *
 * <p>Files of the older naming (no owner token) are never touched. Thread-safe.
 */
final class OwnedTempFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOCK_SUFFIX = ".lock";
    private static final String NEW_SUFFIX = ".lock-new";
    private static final int TOKEN_BYTES = 8;

    /**
     * Every owner token of this JVM, over all instances. A cleaner never opens the owner file of one of them: on POSIX,
     * closing a channel releases every lock this process holds on that file, so opening another instance's owner file
     * to try its lock, then closing it, would release that live owner's lock.
     */
    private static final Set<String> JVM_TOKENS = ConcurrentHashMap.newKeySet();

    /** The re-encrypted values of a migration, in {@code java.io.tmpdir}; owner files there too. */
    private static final OwnedTempFiles MIGRATION = new OwnedTempFiles(null, "dataenc-migrate-", ".tmp");

    private final Path fixedLockDir;
    private final String prefix;
    private final String suffix;
    private final Pattern file;
    private final Pattern owner;
    /** This process's owner while it has files: its token and the lock it holds (null: none now). */
    private Owned owned;
    /** The files made by {@link #create} that still exist. */
    private final Set<Path> live = new HashSet<>();

    /**
     * @param lockDir where the owner files live; null: {@code java.io.tmpdir} when first needed
     * @param prefix  the name prefix of both kinds of file
     * @param suffix  the suffix of the temporary files
     */
    OwnedTempFiles(Path lockDir, String prefix, String suffix) {
        this.fixedLockDir = lockDir;
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.file = Pattern.compile(Pattern.quote(prefix) + "([0-9a-f]{" + 2 * TOKEN_BYTES + "})-[0-9]+"
                + Pattern.quote(suffix));
        this.owner = Pattern.compile(Pattern.quote(prefix) + "([0-9a-f]{" + 2 * TOKEN_BYTES + "})"
                + Pattern.quote(LOCK_SUFFIX));
    }

    /** The temporary files of migrations ({@code dataenc-migrate-*.tmp} in {@code java.io.tmpdir}). */
    static OwnedTempFiles migration() {
        return MIGRATION;
    }

    /**
     * A new empty 0600 file in {@code dir} owned by this process. Where the file system offers no locks, the file
     * gets the older naming, without an owner, and is never removed by another process.
     *
     * @throws UncheckedIOException if the file cannot be created
     */
    synchronized Path create(Path dir) {
        Owned o = owned();
        try {
            Path p = Files.createTempFile(dir, o == NO_OWNER ? prefix : prefix + o.token + "-", suffix, ownerOnly());
            live.add(p);
            return p;
        } catch (IOException e) {
            retireIfIdle();
            throw new UncheckedIOException("cannot create a temporary file in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a file {@link #create} made (if it still exists). When it was the last one, the owner file goes too,
     * so a process that ended cleanly leaves nothing behind.
     *
     * @throws IOException if the file cannot be deleted (it then stays this process's)
     */
    synchronized void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        gone(file);
    }

    /** Records that a file {@link #create} made no longer exists under its name (moved away, or deleted). */
    synchronized void gone(Path file) {
        if (live.remove(file)) {
            retireIfIdle();
        }
    }

    /**
     * Deletes the owner file while still holding its lock, then releases it, when no file of this process is left:
     * another process then sees no owner file, which means gone, and there is nothing of ours to remove.
     */
    private void retireIfIdle() {
        if (!live.isEmpty() || owned == null || owned == NO_OWNER) {
            return;
        }
        Owned o = owned;
        owned = null;
        try {
            Files.deleteIfExists(lockDir().resolve(prefix + o.token + LOCK_SUFFIX));
        } catch (IOException e) {
            // an unlocked owner file without files: the next cleaner removes it
        } finally {
            try {
                o.channel().close(); // releases the lock
            } catch (IOException ignored) {
                // closing releases the lock in any case
            }
            JVM_TOKENS.remove(o.token());
        }
    }

    /** The directory of the owner files. */
    Path lockDir() {
        return fixedLockDir != null ? fixedLockDir : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Removes this kind's files in {@code dir} (not below) whose owner is gone, and the owner files of gone owners
     * in the lock directory when {@code dir} is it. Files that cannot be removed are left; nothing throws.
     *
     * @return the number of temporary files removed
     */
    int removeStale(Path dir) {
        Map<String, Boolean> gone = new HashMap<>();
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
            for (Path p : files) {
                Matcher m = file.matcher(p.getFileName().toString());
                if (m.matches() && gone.computeIfAbsent(m.group(1), this::ownerGone) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return removed; // a directory we cannot list or a file we cannot delete: left for the next run
        }
        if (dir.equals(lockDir())) {
            removeGoneOwners();
        }
        return removed;
    }

    /**
     * Deletes the owner files nobody holds (after their files were removed). Between our taking the lock and the
     * delete, nobody can use that token: a live process only uses its own token, made afresh.
     */
    void removeGoneOwners() {
        try (DirectoryStream<Path> locks = Files.newDirectoryStream(lockDir(), prefix + "*" + LOCK_SUFFIX)) {
            for (Path p : locks) {
                Matcher m = owner.matcher(p.getFileName().toString());
                if (m.matches() && !isMine(m.group(1))) {
                    withLockIfFree(p, () -> Files.deleteIfExists(p));
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for the next run
        }
    }

    /** True when the owner of {@code token} is gone: its owner file is missing, or we can lock it. */
    private boolean ownerGone(String token) {
        if (isMine(token)) {
            return false;
        }
        Path lockFile = lockDir().resolve(prefix + token + LOCK_SUFFIX);
        if (!Files.exists(lockFile)) {
            // a live owner's file exists under this name from before its first temporary file until it dies
            return true;
        }
        return withLockIfFree(lockFile, () -> true);
    }

    private interface WhileLocked {
        boolean run() throws IOException;
    }

    /** Runs {@code work} holding the lock of {@code lockFile} if nobody holds it; false if somebody does. */
    private boolean withLockIfFree(Path lockFile, WhileLocked work) {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // held by this JVM
            }
            if (lock == null) {
                return false; // held by a live process
            }
            try {
                return work.run();
            } finally {
                lock.release();
            }
        } catch (NoSuchFileException e) {
            return true; // removed meanwhile by another cleaner: its owner was gone
        } catch (IOException e) {
            return false; // cannot tell: keep the files
        }
    }

    /** Whether {@code token} is an owner of this JVM (this instance's or another's): its owner file is not opened. */
    private static boolean isMine(String token) {
        return JVM_TOKENS.contains(token);
    }

    /** This process's owner, made when the first file is. */
    private synchronized Owned owned() {
        if (owned == null) {
            owned = lockNewOwner();
        }
        return owned;
    }

    /**
     * Creates and locks this process's owner file: under a temporary name, then renamed, so that no other process
     * ever sees it under its final name unlocked. The channel stays open until the owner retires: on POSIX, closing
     * any channel of a file releases this process's locks on it (so no cleaner ever opens its own). Returns
     * {@link #NO_OWNER} when the owner file cannot be made or locked (a file system without locks): no owner file
     * is left then, and the files get the older naming.
     */
    private Owned lockNewOwner() {
        Path dir = lockDir();
        byte[] t = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(t);
        String token = HexFormat.of().formatHex(t);
        Path fresh = dir.resolve(prefix + token + NEW_SUFFIX);
        FileChannel ch = null;
        try {
            JVM_TOKENS.add(token); // before the file exists: no cleaner of this JVM ever opens it
            Files.createFile(fresh, ownerOnly());
            ch = FileChannel.open(fresh, StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            Files.move(fresh, dir.resolve(prefix + token + LOCK_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            return new Owned(token, ch, lock);
        } catch (IOException | UnsupportedOperationException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
                Files.deleteIfExists(fresh);
            } catch (IOException ignored) {
                // an empty, unlocked file under the temporary name: never taken for an owner file
            }
            JVM_TOKENS.remove(token);
            return NO_OWNER;
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    /** This process's owner token and its held lock (kept reachable so the lock is never released by GC). */
    private record Owned(String token, FileChannel channel, FileLock lock) {
    }

    /** No owner file could be made: files get the older naming, which no process ever removes. */
    private static final Owned NO_OWNER = new Owned("", null, null);
}
