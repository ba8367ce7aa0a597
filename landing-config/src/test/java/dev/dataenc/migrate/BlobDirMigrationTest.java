package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.error.DataEncException;
import dev.dataenc.migrate.BlobFixture.Original;
import dev.dataenc.migrate.MigrationFixture.Databases;
import dev.dataenc.testing.CrashingChild;
import dev.dataenc.testing.TinyFileSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration of BLOBs kept as files under a directory tree ({@link FileSystemBlobStore}): each file re-encrypted as
 * a stream and replaced atomically, application writes kept, a SIGKILL just before the atomic move leaves the old
 * file whole, and the run resumes.
 */
class BlobDirMigrationTest {

    @TempDir
    Path dir;

    private static void assertMigrated(ControlPlane plane, Path root, Map<String, Original> originals, CdkId target,
                                       Map<String, byte[]> overridden) throws Exception {
        for (Map.Entry<String, Original> e : originals.entrySet()) {
            byte[] stored = Files.readAllBytes(root.resolve(e.getKey()));
            assertEquals(target, BlobFixture.cdkOf(stored), e.getKey());
            assertArrayEquals(overridden.getOrDefault(e.getKey(), e.getValue().plain()),
                    BlobFixture.decrypt(plane, stored, e.getValue().blob()), e.getKey());
        }
    }

    private static List<Path> strays(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(FileSystemBlobStore.TEMP_PREFIX)).toList();
        }
    }

    @Test
    void directoryOfEncryptedFiles_everyFileReplacedAtomicallyUnderActiveCdk_permissionsKept() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        Path root = Files.createDirectories(dir.resolve("blobs"));
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            Map<String, Original> originals = BlobDirFixture.fill(plane, root, 3, 21);
            Files.setPosixFilePermissions(root.resolve(BlobDirFixture.key(1)), PosixFilePermissions.fromString("rw-r-----"));
            Files.write(root.resolve("README.txt"), "not encrypted".getBytes());
            CdkId target = plane.registry().findActive().orElseThrow().id();
            BlobStoreRecordSource source = new BlobStoreRecordSource(new FileSystemBlobStore(root), BlobFixture.CONTEXT);
            MigrationResult r = new Migration(plane).run(BlobMigrationTest.request(source));
            ValueCounts n = r.job().counts();
            assertEquals(BlobDirFixture.FILES + 1, n.records());
            assertEquals(BlobDirFixture.FILES, n.migrated(), n.toString());
            assertEquals(1, n.plaintext(), "the plain file is left alone");
            assertMigrated(plane, root, originals, target, Map.of());
            assertEquals("not encrypted", Files.readString(root.resolve("README.txt")));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    root.resolve(BlobDirFixture.key(1)))), "the application's file mode is kept");
            assertEquals(List.of(), strays(root));
            assertTrue(r.references().orElseThrow().references().keySet().stream().allMatch(target::equals));
        }
    }

    /** A real full file system under the BLOB directory: a 4 MiB tmpfs (needs root; skipped where it cannot be mounted). */
    @Test
    void fileSystemFull_typedOneLineError_everyFileUnchanged_noStrays_resumesOnceSpaceIsFreed() throws Exception {
        try (TinyFileSystem tiny = TinyFileSystem.mount(dir.resolve("tiny"), "4m")) {
            Databases dbs = MigrationFixture.h2(dir); // the registry is elsewhere: only the BLOBs' disk is full
            Path root = Files.createDirectories(tiny.root().resolve("blobs"));
            try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
                Map<String, Original> originals = BlobDirFixture.fill(plane, root, 3, 5);
                Map<String, byte[]> before = new java.util.HashMap<>();
                for (String k : originals.keySet()) {
                    before.put(k, Files.readAllBytes(root.resolve(k)));
                }
                tiny.fill();
                CdkId target = plane.registry().findActive().orElseThrow().id();
                BlobStoreRecordSource source = new BlobStoreRecordSource(new FileSystemBlobStore(root), BlobFixture.CONTEXT);

                RuntimeException e = assertThrows(RuntimeException.class,
                        () -> new Migration(plane).run(BlobMigrationTest.request(source)));

                assertTrue(e instanceof DataEncException, "typed: " + e);
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
                assertTrue(e.getMessage().contains(root.toString()) && e.getMessage().contains("run again"),
                        "names the directory and what to do: " + e.getMessage());
                for (String k : originals.keySet()) {
                    assertArrayEquals(before.get(k), Files.readAllBytes(root.resolve(k)), k + " changed");
                }
                assertEquals(List.of(), strays(root), "temporary files left on the full disk");

                tiny.free();
                MigrationResult r = new Migration(plane).run(BlobMigrationTest.request(source));
                assertEquals(BlobDirFixture.FILES, r.job().counts().migrated() + r.job().counts().alreadyTarget(),
                        r.job().counts().toString());
                assertMigrated(plane, root, originals, target, Map.of());
                assertEquals(List.of(), strays(root));
            }
        }
    }

    @Test
    void applicationRewritesAFileDuringTheMigration_itsWriteIsKept() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        Path root = Files.createDirectories(dir.resolve("blobs"));
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            Map<String, Original> originals = BlobDirFixture.fill(plane, root, 3, 4);
            CdkId target = plane.registry().findActive().orElseThrow().id();
            byte[] fresh = "the application's new version".getBytes();
            byte[] freshCiphertext = BlobFixture.encrypt(plane, new Original(fresh, true));
            String first = new FileSystemBlobStore(root).keys().get(0);
            AtomicInteger records = new AtomicInteger();
            CrashPoint app = name -> { // the first file is re-encrypted and waits to be written: the app rewrites it
                if (name.equals("record") && records.incrementAndGet() == 1) {
                    try {
                        Path tmp = Files.write(root.resolve("app.tmp.part"), freshCiphertext);
                        Files.move(tmp, root.resolve(first), StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            BlobStoreRecordSource source = new BlobStoreRecordSource(new FileSystemBlobStore(root), BlobFixture.CONTEXT);
            MigrationResult r = new Migration(plane, Migration.Options.defaults().withCrash(app))
                    .run(MigrationRequest.of(source));
            assertEquals(1, r.job().counts().changedByApp(), r.job().counts().toString());
            assertArrayEquals(freshCiphertext, Files.readAllBytes(root.resolve(first)), "the application's write is kept");
            assertMigrated(plane, root, originals, target, Map.of(first, fresh));
        }
    }

    @Test
    void killedJustBeforeTheAtomicMoveAndMidBatch_oldFileIsWhole_resumeCompletes() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        Path root = Files.createDirectories(dir.resolve("blobs"));
        Map<String, Original> originals;
        Map<String, byte[]> before = new java.util.HashMap<>();
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "setup")) {
            originals = BlobDirFixture.fill(plane, root, 3, 8);
        }
        for (String k : originals.keySet()) {
            before.put(k, Files.readAllBytes(root.resolve(k)));
        }
        CrashingChild.runAndKill(BlobDirCrashChild.class, "before-move:1", dir.toString(), "before-move:1");
        List<Path> strays = strays(root);
        assertEquals(1, strays.stream().filter(p -> p.toString().endsWith(".part")).count(),
                "the new file was written next to the old one: " + strays);
        assertEquals(1, strays.stream().filter(p -> p.toString().endsWith(".lock")).count(),
                "with the killed process's owner file at the root: " + strays);
        String victim = new FileSystemBlobStore(root).keys().get(0);
        assertArrayEquals(before.get(victim), Files.readAllBytes(root.resolve(victim)), "the old file is whole");
        for (String kill : List.of("record:3", "chunk-written:2")) {
            CrashingChild.runAndKill(BlobDirCrashChild.class, kill, dir.toString(), kill);
        }
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "final")) {
            CdkId target = plane.registry().findActive().orElseThrow().id();
            for (String k : originals.keySet()) { // every file is the old one or the new one, never a part
                byte[] now = Files.readAllBytes(root.resolve(k));
                assertTrue(java.util.Arrays.equals(now, before.get(k)) || BlobFixture.cdkOf(now).equals(target), k);
            }
            BlobStoreRecordSource source = new BlobStoreRecordSource(new FileSystemBlobStore(root), BlobFixture.CONTEXT);
            MigrationResult r = new Migration(plane).run(BlobMigrationTest.request(source));
            assertTrue(r.resumed());
            assertEquals(BlobDirFixture.FILES, r.job().counts().migrated() + r.job().counts().alreadyTarget());
            assertMigrated(plane, root, originals, target, Map.of());
            assertEquals(List.of(), strays(root), "what the killed processes left is removed, and nothing of ours stays");
        }
    }

    @Test
    void keyOutsideTheDirectoryOrMissingDirectory_refused() throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(Files.createDirectories(dir.resolve("blobs")));
        assertThrows(IllegalArgumentException.class, () -> store.get("../escape"));
        RecordSourceException e = assertThrows(RecordSourceException.class,
                () -> new FileSystemBlobStore(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(RecordSourceException.class, () -> new BlobStoreRecordSource(store, ""));
    }
}
