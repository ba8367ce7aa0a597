package dev.dataenc.cli;

import dev.dataenc.error.DataEncException;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An output file that the CLI writes plaintext or ciphertext into: created new and readable by its
 * owner only (0600), never overwriting an existing file, and complete or absent. The target is
 * reserved at once (an empty 0600 file, so a name taken meanwhile is refused early); the content is
 * written to a 0600 temporary file beside it and moved over the reservation by {@link #commit()}.
 * Closing without a commit deletes both, and so does a JVM that ends before the commit (Ctrl-C, SIGTERM: a shutdown
 * hook), so an interrupted {@code decrypt} leaves no partial plaintext and no reservation that would make the same
 * command refuse its {@code --out} next time. Only a killed JVM (SIGKILL) leaves them.
 */
final class PrivateOutput implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final Thread atExit = new Thread(this::abandonAtExit, "dataenc-output-cleanup");
    private boolean committed; // guarded by this
    private boolean abandoned; // guarded by this

    private PrivateOutput(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Reserves {@code target} and creates the temporary file beside it.
     *
     * @throws DataEncException if {@code target} exists or its directory cannot be written
     */
    static PrivateOutput create(Path target) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createFile(abs, ownerOnly());
        } catch (FileAlreadyExistsException e) {
            throw new DataEncException("output file " + abs + " exists; dataenc never overwrites a file: choose"
                    + " another --out path or remove it first");
        } catch (NoSuchFileException e) {
            throw new DataEncException("cannot create output file " + abs + ": its directory does not exist");
        } catch (IOException e) {
            throw new DataEncException("cannot create output file " + abs + ": " + e.getMessage(), e);
        }
        try {
            Path temp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".partial", ownerOnly());
            PrivateOutput output = new PrivateOutput(abs, temp);
            Runtime.getRuntime().addShutdownHook(output.atExit);
            return output;
        } catch (IOException e) {
            deleteQuietly(abs);
            throw new DataEncException("cannot create a temporary file beside " + abs + ": " + e.getMessage(), e);
        }
    }

    /** The file the content ends up in. */
    Path target() {
        return target;
    }

    /**
     * A stream onto the temporary file (the caller closes it before {@link #commit()}); its write errors (a full disk)
     * are {@link OutputFileException}s naming the target.
     */
    OutputStream stream() {
        OutputStream file;
        try {
            file = Files.newOutputStream(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(new OutputFileException(target, e));
        }
        return new FilterOutputStream(file) {
            @Override
            public void write(int b) throws IOException {
                naming(() -> out.write(b));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                naming(() -> out.write(b, off, len));
            }

            @Override
            public void flush() throws IOException {
                naming(out::flush);
            }

            @Override
            public void close() throws IOException {
                naming(out::close);
            }
        };
    }

    /** One I/O step on the temporary file. */
    private interface IoStep {
        void run() throws IOException;
    }

    /** Runs {@code step}; its failure becomes an {@link OutputFileException} naming the target. */
    private void naming(IoStep step) throws OutputFileException {
        try {
            step.run();
        } catch (IOException e) {
            throw new OutputFileException(target, e);
        }
    }

    /** A write to an output file failed; the message names the file and says that no partial file is left. */
    static final class OutputFileException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputFileException(Path target, IOException cause) {
            super("cannot write output file " + target + ": " + reason(cause) + "; nothing is left there (the partial"
                    + " file is removed). Free space or choose another --out path, then run the command again", cause);
        }

        private static String reason(IOException e) {
            return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : String.valueOf(e.getMessage());
        }
    }

    /** Moves the written content into place, atomically where the file system can. */
    synchronized void commit() {
        if (abandoned) {
            throw new DataEncException("the output " + target + " was removed: dataenc is being stopped");
        }
        try {
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new DataEncException("cannot move the output into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary file and, unless committed, the reservation. */
    @Override
    public void close() {
        synchronized (this) {
            deleteQuietly(temp);
            if (!committed) {
                deleteQuietly(target);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException exiting) {
            // the JVM is ending: the hook runs (and finds nothing left to delete)
        }
    }

    /** The shutdown hook: a JVM ending before the commit leaves neither the partial content nor the reservation. */
    private synchronized void abandonAtExit() {
        if (!committed) {
            abandoned = true;
            deleteQuietly(temp);
            deleteQuietly(target);
        }
    }

    /** Owner-only permissions ({@code rw-------}) for a file created here, where the file system has POSIX permissions. */
    static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: nothing else to do about a file we cannot delete
        }
    }
}
