package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.testing.CrashingChild;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files a killed process left are removed by the next one; a live owner's never are. Real child JVMs. */
class OwnedTempFilesTest {

    @TempDir
    Path dir;

    @Test
    void filesOfALiveOwner_areKept_thenRemovedOnceItIsKilled() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Process child = start(OwnedTempFilesChild.class, dir.toString(), files.toString(), "3");
        try {
            OwnedTempFiles cleaner = new OwnedTempFiles(dir, "t-", ".tmp");
            assertEquals(3, list(files, ".tmp").size());
            assertEquals(0, cleaner.removeStale(files), "the owner runs: nothing is removed");
            assertEquals(3, list(files, ".tmp").size());
            assertEquals(1, list(dir, ".lock").size(), "the owner file stays while its owner runs");

            child.destroyForcibly(); // SIGKILL: the child cleans nothing up
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, list(files, ".tmp").size(), "a killed process leaves its files");

            assertEquals(3, cleaner.removeStale(files));
            assertEquals(List.of(), list(files, ".tmp"));
            cleaner.removeGoneOwners();
            assertEquals(List.of(), list(dir, ".lock"), "the owner file of a gone owner is removed too");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void ownFiles_andFilesOfTheOlderNaming_areNeverRemoved() throws Exception {
        OwnedTempFiles mine = new OwnedTempFiles(dir, "t-", ".tmp");
        Path own = mine.create(dir);
        Path older = Files.writeString(dir.resolve("t-1234567890.tmp"), "from an older version");
        Path other = Files.writeString(dir.resolve("t-notes.tmp"), "not ours");

        assertEquals(0, mine.removeStale(dir));
        assertEquals(0, new OwnedTempFiles(dir, "t-", ".tmp").removeStale(dir), "another cleaner in this JVM");
        assertTrue(Files.exists(own));
        assertTrue(Files.exists(older));
        assertTrue(Files.exists(other));
        assertEquals(1, list(dir, ".lock").size());
    }

    /**
     * Two instances in one JVM over one directory (two file stores on the same root): a cleaning by one must not
     * release the other's lock. The old code opened the other instance's owner file to try its lock and closed it,
     * which on POSIX releases every lock of the process on that file; another process then removed the live file.
     */
    @Test
    void cleaningByAnotherInstanceOfThisJvm_keepsTheLiveOwnersLock() throws Exception {
        OwnedTempFiles owner = new OwnedTempFiles(dir, "t-", ".tmp");
        Path live = owner.create(dir);
        OwnedTempFiles other = new OwnedTempFiles(dir, "t-", ".tmp");
        assertEquals(0, other.removeStale(dir));
        other.removeGoneOwners();

        assertEquals("REMOVED 0", runToEnd(OwnedTempFilesChild.class, "clean", dir.toString(), dir.toString()),
                "another process still finds the owner's lock held");
        assertTrue(Files.exists(live));
        owner.delete(live);
    }

    @Test
    void theOwnerFile_existsWhileFilesDo_andANewOwnerIsMadeForTheNextFile() throws Exception {
        OwnedTempFiles files = new OwnedTempFiles(dir, "t-", ".tmp");
        Path a = files.create(dir);
        Path b = files.create(dir);
        Path owner = list(dir, ".lock").get(0);
        files.delete(a);
        assertTrue(Files.exists(owner), "one file is left");
        files.delete(b);
        assertEquals(List.of(), list(dir, ".lock"));
        Path c = files.create(dir);
        Path next = list(dir, ".lock").get(0);
        assertFalse(next.equals(owner), "a fresh token");
        assertTrue(c.getFileName().toString().startsWith(next.getFileName().toString().replace(".lock", "-")));
        files.gone(c); // e.g. moved away
        assertEquals(List.of(), list(dir, ".lock"));
    }

    @Test
    void createdFiles_andTheOwnerFile_areOwnerOnly() throws Exception {
        OwnedTempFiles files = new OwnedTempFiles(dir, "t-", ".tmp");
        Path f = files.create(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Path lock = list(dir, ".lock").get(0);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)));
        assertTrue(f.getFileName().toString().startsWith(lock.getFileName().toString().replace(".lock", "-")),
                "a file is named after its owner");
    }

    @Test
    void aFileWhoseOwnerFileIsGone_isRemoved() throws Exception {
        Path orphan = Files.writeString(dir.resolve("t-0123456789abcdef-42.tmp"), "left by a gone owner");
        assertEquals(1, new OwnedTempFiles(dir, "t-", ".tmp").removeStale(dir));
        assertFalse(Files.exists(orphan));
    }

    @Test
    void aReplaceKilledBeforeItsMove_leavesATemporaryFile_thatTheNextReplaceInItsDirectoryRemoves() throws Exception {
        Path root = Files.createDirectories(dir.resolve("blobs"));
        Path sub = Files.createDirectories(root.resolve("a"));
        Files.writeString(sub.resolve("one.bin"), "old one");
        Files.writeString(sub.resolve("two.bin"), "old two");
        Path content = Files.writeString(dir.resolve("new.bin"), "new content");

        CrashingChild.runAndKill(OwnedTempFilesChild.class, "store", "store", root.toString(), "a/one.bin",
                content.toString());
        assertEquals(1, list(sub, ".part").size(), "the killed replace left its temporary file");
        assertEquals("old one", Files.readString(sub.resolve("one.bin")), "and the old file whole");

        FileSystemBlobStore store = new FileSystemBlobStore(root);
        assertEquals(List.of("a/one.bin", "a/two.bin"), store.keys(), "listing ignores it and changes nothing");
        assertEquals(1, list(sub, ".part").size());
        assertTrue(store.replace("a/two.bin", store.get("a/two.bin").orElseThrow(), content));
        assertEquals("new content", Files.readString(sub.resolve("two.bin")));
        assertEquals(List.of(), list(sub, ".part"), "the next replace in that directory removed it");
        assertEquals(List.of(), list(root, ".lock"), "the killed owner's file is removed, and ours retired with our"
                + " last temporary file: a clean run leaves nothing");
    }

    private static List<Path> list(Path d, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Runs a child JVM to its end and returns its last line of output. */
    private static String runToEnd(Class<?> main, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), last);
        return last;
    }

    /** Starts a child JVM and waits until it has made its files (its crash-point line). */
    private static Process start(Class<?> main, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("CRASHPOINT ")) {
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("child ended before making its files");
    }
}
