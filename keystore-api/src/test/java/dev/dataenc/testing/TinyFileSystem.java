package dev.dataenc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real small file system for full-disk tests: a tmpfs of a given size mounted on a new directory (needs root, as in
 * CI; the test is skipped where it cannot be mounted). {@link #fill()} writes a filler file until the disk is full;
 * {@link #free()} deletes it again. Closing unmounts (and fails the test if that does not work).
 */
public final class TinyFileSystem implements AutoCloseable {

    private final Path root;
    private final Path filler;

    private TinyFileSystem(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    /**
     * Mounts a tmpfs of {@code size} (e.g. {@code "64k"}, {@code "8m"}) on the new directory {@code dir}; skips the
     * calling test where that is not possible.
     */
    public static TinyFileSystem mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectory(dir);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        return new TinyFileSystem(dir);
    }

    /** The mount point. */
    public Path root() {
        return root;
    }

    /** The file {@link #fill()} writes (to tell it apart in listings). */
    public Path filler() {
        return filler;
    }

    /** Fills the file system: writes the filler file in 1 KiB steps until the disk refuses. */
    public void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[1024];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Deletes the filler: the file system has space again. */
    public void free() throws IOException {
        Files.delete(filler);
    }

    /** Remounts the file system read-only: every write then fails with the OS's "Read-only file system". */
    public void readOnly() throws IOException, InterruptedException {
        if (run("mount", "-o", "remount,ro", root.toString()) != 0) {
            throw new IllegalStateException("cannot remount the test tmpfs at " + root + " read-only");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", root.toString()) != 0) {
            throw new IllegalStateException("cannot unmount the test tmpfs at " + root);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
