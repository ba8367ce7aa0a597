package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.migrate.LargeBlobFixture.Stored;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BLOB ciphertexts too large for the heap in a binary column ({@code bytea} on PostgreSQL, {@code BLOB} on H2):
 * streamed through JDBC, never whole in memory, with the compare-and-set that keeps an application's write.
 */
class LargeBlobMigrationTest {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /**
     * A child JVM with {@code -Xmx128m} migrates a row of a {@code bytea} column holding a ~1 GiB BLOB ciphertext.
     * PostgreSQL caps a {@code bytea} (and the message binding it) at 1 GiB - 1 byte, so the plaintext is
     * 1 GiB - 1 MiB (the ciphertext about 1 GiB - 0.75 MiB). PostgreSQL only: the run takes minutes on 2 cores;
     * H2 streams its BLOBs through the LOB stream, and its batch reads are covered by
     * {@link #batchReadOfLargeBlob_allocatesFarLessThanTheValue}.
     */
    @Test
    void gibBlobInByteaColumn_migratedByChildWith128MiBHeap_decryptsToItsPlaintext() throws Exception {
        Databases dbs = MigrationFixture.postgres();
        long plainLength = GIB - MIB;
        BlobFixture.createDoc(dbs, "doc");
        Stored before;
        CdkId target;
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            before = LargeBlobFixture.put(plane, dbs, "doc", 1, 12, plainLength, true, dir);
            plane.rotateCdk("test");
            plane.flushUsage();
            target = plane.registry().findActive().orElseThrow().id();
        }
        assertNotEquals(target, before.cdk());

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                LargeBlobMigrationChild.class.getName(), dir.toString(), dbs.registry().url(), dbs.hostUrl(),
                dbs.hostUser()));
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) { // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("MIGRATED 1 "), output);
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("dataenc-migrate-")),
                    "the temporary ciphertext file is deleted");
        }

        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            Stored after = LargeBlobFixture.read(plane, dbs, "doc", 1);
            assertEquals(target, after.cdk());
            assertArrayEquals(before.plainSha256(), after.plainSha256(), "decrypts to the original plaintext");
        }
    }

    /**
     * A batch read (the header of each value, as surveys, scans and migration batches do) of a 64 MiB BLOB allocates
     * a small fraction of it in this thread (embedded H2 and the PostgreSQL driver both work in the caller's
     * thread); H2's {@code SUBSTRING} on a BLOB would load it whole. (Allocation is cumulative, so the streamed read
     * of the whole value is checked by its heap instead: {@link
     * #gibBlobInByteaColumn_migratedByChildWith128MiBHeap_decryptsToItsPlaintext}.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void batchReadOfLargeBlob_allocatesFarLessThanTheValue(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        BlobFixture.createDoc(dbs, "doc");
        Stored stored;
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            stored = LargeBlobFixture.put(plane, dbs, "doc", 1, 3, 64 * MIB, true, dir);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
            source.count(); // warm up the pool (not a read of the value: H2 may keep what it loaded)
            long before = threads.getCurrentThreadAllocatedBytes();
            List<SourceRecord> records = source.read(KeyRange.ALL);
            long batchRead = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(stored.cdk(), BinaryCell.decode(records.get(0).values().get(0)).cdk());
            assertTrue(batchRead < 8 * MIB, "a batch read allocated " + batchRead + " bytes");
        }
    }

    /**
     * Two multi-chunk BLOB rows are re-encrypted and wait to be written when the application writes them (the
     * pause point between read and compare-and-set): row 1 gets a new BLOB under the ACTIVE CDK, which is kept
     * byte for byte; row 2 gets one under an old CDK (a lagging node), which is re-read and migrated.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void applicationWritesToLargeBlobRowsDuringMigration_areKept(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        BlobFixture.createDoc(dbs, "doc");
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            LargeBlobFixture.put(plane, dbs, "doc", 1, 1, 3 * MIB + 5, true, dir);
            LargeBlobFixture.put(plane, dbs, "doc", 2, 2, 2 * MIB + 7, true, dir);
            LargeBlobFixture.Encrypted laggingWrite = LargeBlobFixture.encrypt(plane, 22, 2 * MIB + 1, dir);
            plane.rotateCdk("test");
            plane.flushUsage();
            CdkId target = plane.registry().findActive().orElseThrow().id();
            AtomicInteger records = new AtomicInteger();
            Stored[] app = new Stored[3];
            CrashPoint applicationWrites = name -> {
                if (!name.equals("record")) {
                    return;
                }
                try {
                    switch (records.incrementAndGet()) {
                        case 1 -> app[1] = LargeBlobFixture.put(plane, dbs, "doc", 1, 11, 3 * MIB, false, dir);
                        case 2 -> app[2] = LargeBlobFixture.write(dbs, "doc", 2, laggingWrite, false);
                        default -> { }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            try (JdbcRecordSource source = dbs.source().table("doc").key("id").column("body:" + BlobFixture.CONTEXT)
                    .chunkSize(256 * 1024).build()) {
                ValueCounts n = new Migration(plane, Migration.Options.defaults().withCrash(applicationWrites))
                        .run(MigrationRequest.of(source)).job().counts();
                assertEquals(1, n.changedByApp(), "row 1 now holds the application's BLOB under the ACTIVE CDK: " + n);
                assertEquals(1, n.migrated(), "row 2 was re-read and the application's value migrated: " + n);
            }
            Stored row1 = LargeBlobFixture.read(plane, dbs, "doc", 1);
            assertEquals(app[1].cdk(), row1.cdk());
            assertEquals(target, row1.cdk());
            assertArrayEquals(app[1].plainSha256(), row1.plainSha256(), "the application's write is kept");
            Stored row2 = LargeBlobFixture.read(plane, dbs, "doc", 2);
            assertNotEquals(app[2].cdk(), row2.cdk(), "the lagging node wrote under an old CDK");
            assertEquals(target, row2.cdk());
            assertArrayEquals(app[2].plainSha256(), row2.plainSha256(), "the application's value, re-encrypted");
        }
    }

    /**
     * PostgreSQL reads a value in chunks; the application commits a new value of the same length between two of
     * them. Every chunk must still come from the snapshot the read started in (else the bytes would be half old,
     * half new, and the BLOB would fail to decrypt and be counted unreadable).
     */
    @Test
    void chunkedPostgresRead_applicationWritesBetweenChunks_returnsTheValueAsItWas() throws Exception {
        Databases dbs = MigrationFixture.postgres();
        BlobFixture.createDoc(dbs, "doc");
        byte[] old = new SeededBytes(5, 1_000_000).readAllBytes();
        byte[] fresh = new SeededBytes(6, 1_000_000).readAllBytes();
        BlobFixture.put(dbs, "doc", 1, old, true);
        MessageDigest read = BinaryReencryption.sha256();
        try (JdbcRecordSource source = dbs.source().table("doc").key("id").column("body:" + BlobFixture.CONTEXT)
                .chunkSize(64 * 1024).build()) {
            assertTrue(source.readBinary("1", 0, (InputStream in, long length) -> {
                assertEquals(old.length, length);
                read.update(in.readNBytes(200_000));
                try (Connection c = dbs.host(); PreparedStatement s = c.prepareStatement(
                        "UPDATE doc SET body = ? WHERE id = 1")) {
                    s.setBytes(1, fresh);
                    assertEquals(1, s.executeUpdate());
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                read.update(in.readAllBytes());
            }));
        }
        assertArrayEquals(BinaryReencryption.sha256().digest(old), read.digest());
        assertArrayEquals(fresh, BlobFixture.stored(dbs, "doc").get(1), "the application's write committed");
    }
}
