package dev.dataenc.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The right to change the configuration file, held by one admin action at a time: {@code dataenc switch}, its
 * {@code --cancel} and the console's switch each read the file, write it, run the switch and may write it again, and two
 * of them interleaved could put back bytes the other had replaced (the file would then name one keystore and the
 * registry another). The lock is an OS file lock on {@code <real file>.lock} beside the configuration file (created
 * owner-only, left in place, released by the OS if the process dies) plus a lock per JVM, so it excludes other
 * processes and other threads of the same console alike. It is taken without waiting: a busy file is reported, and the
 * caller refuses with nothing changed.
 *
 * <p>Where the lock file cannot be created because the directory is read-only or not writable by this user, no
 * dataenc process run as this user can write the configuration file either (it is replaced through a temporary file
 * in the same directory), so there is nothing to exclude: {@link #tryAcquire} then returns a lock that holds nothing,
 * and an action that needs to write the file fails with its own one-line error.
 */
public final class ConfigFileLock implements AutoCloseable {

    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path realFile;
    private final FileChannel channel;
    private final FileLock lock;

    private ConfigFileLock(Path realFile, FileChannel channel, FileLock lock) {
        this.realFile = realFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code file} (a symbolic link is followed) if nothing else holds it.
     *
     * @return the lock, to be closed when the action is over; empty if another process or thread holds it
     * @throws DataEncConfigException if the file cannot be resolved or its lock file cannot be opened for another
     *         reason than permissions (e.g. a full disk)
     */
    public static Optional<ConfigFileLock> tryAcquire(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw ConfigLoader.unparsable(file, e);
        }
        if (!HELD_IN_THIS_JVM.add(real)) {
            return Optional.empty();
        }
        Path lockFile = lockFileOf(real);
        FileChannel channel = null;
        try {
            channel = open(lockFile);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD_IN_THIS_JVM.remove(real);
                return Optional.empty();
            }
            return Optional.of(new ConfigFileLock(real, channel, lock));
        } catch (AccessDeniedException | ReadOnlyFileSystemException e) {
            if (e instanceof ReadOnlyFileSystemException || !Files.isWritable(real.getParent())) {
                return Optional.of(new ConfigFileLock(real, null, null)); // nobody can write the file here: see the class doc
            }
            HELD_IN_THIS_JVM.remove(real);
            throw new DataEncConfigException(null, "Cannot open the lock file " + lockFile + " of the data-encryption"
                    + " configuration: permission denied, though its directory is writable (the lock file belongs to"
                    + " another user?); nothing was changed. Give it to the user that runs dataenc admin commands, or"
                    + " delete it when no dataenc command runs, and retry.", e);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(real);
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(channel);
            if (isReadOnly(e)) {
                return Optional.of(new ConfigFileLock(real, null, null));
            }
            HELD_IN_THIS_JVM.remove(real);
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new DataEncConfigException(null, "Cannot open or lock the lock file " + lockFile + " of the"
                    + " data-encryption configuration: " + reason + "; nothing was changed. Fix that (free space,"
                    + " permissions, file locking on this file system) and retry.", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(real);
            throw e;
        }
    }

    /** The lock file of a configuration file: {@code <real file>.lock} in the same directory. */
    public static Path lockFileOf(Path realFile) {
        return realFile.resolveSibling(realFile.getFileName() + ".lock");
    }

    /** A one-line explanation that {@code file} is being changed by another admin action, for a refusal. */
    public static String busy(Path file) {
        return "another dataenc admin action (a switch, or switch --cancel, from the CLI or the console) is changing " + file
                + " right now (it holds " + lockFileOf(realOrSelf(file)) + "); nothing was changed. Wait for it to"
                + " finish ('dataenc status' shows a running switch) and retry";
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(realFile);
        }
    }

    private static FileChannel open(Path lockFile) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (lockFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return FileChannel.open(lockFile, options, ownerOnly);
        }
        return FileChannel.open(lockFile, options);
    }

    private static boolean isReadOnly(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null
                && f.getReason().toLowerCase(java.util.Locale.ROOT).contains("read-only");
    }

    private static Path realOrSelf(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
