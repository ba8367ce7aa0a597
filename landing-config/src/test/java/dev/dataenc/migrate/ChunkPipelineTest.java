package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk of re-encrypted text values is written while the next chunk is prepared, one chunk in flight at most;
 * a failed chunk write fails the migration with nothing after it written, and a rerun finishes it.
 */
class ChunkPipelineTest {

    private static final int ROWS = 30;
    private static final int CHUNK = 5;

    @TempDir
    Path dir;

    @Test
    void chunkBeingWritten_nextChunkPreparedMeanwhile() throws Exception {
        Databases dbs = MigrationFixture.databases("h2", dir);
        MigrationFixture.createCustomer(dbs);
        CountDownLatch nextChunkStarted = new CountDownLatch(1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger records = new AtomicInteger();
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource jdbc = MigrationFixture.customerSource(dbs)) {
            Map<Integer, String[]> originals = MigrationFixture.fill(plane, dbs, ROWS, 2, 1_000);
            AtomicInteger writes = new AtomicInteger();
            RecordSource source = new BeforeWriteSource(jdbc, w -> {
                if (writes.incrementAndGet() == 1) { // the first chunk's write waits until the second chunk is prepared
                    await(nextChunkStarted);
                    events.add("write 1 goes on");
                }
            });
            Migration migration = new Migration(plane, Migration.Options.defaults().withCrash(name -> {
                if (name.equals("record") && records.incrementAndGet() == CHUNK + 1) {
                    events.add("record " + (CHUNK + 1) + " prepared");
                    nextChunkStarted.countDown();
                } else if (name.equals("chunk-written") && events.size() < 3) {
                    events.add("chunk-written");
                }
            }));
            MigrationResult result = migration.run(MigrationRequest.of(source).withBatchSize(ROWS).withWriteChunk(CHUNK));

            assertEquals(List.of("record 6 prepared", "write 1 goes on", "chunk-written"), events,
                    "the first chunk's write was under way while the second chunk was prepared, and was settled after it");
            assertEquals(ROWS, result.job().counts().records());
            assertEquals(2 * ROWS - 1, result.job().counts().migrated(), "every value but the NULL email of record 0");
            CdkId active = plane.registry().findActive().orElseThrow().id();
            MigrationTest.assertDecryptsToOriginalsUnder(plane, originals, MigrationFixture.stored(dbs), active);
        }
    }

    @Test
    void secondChunkWriteFails_migrationFailsLaterChunksUnwrittenAndRerunFinishes() throws Exception {
        Databases dbs = MigrationFixture.databases("h2", dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource jdbc = MigrationFixture.customerSource(dbs)) {
            Map<Integer, String[]> originals = MigrationFixture.fill(plane, dbs, ROWS, 2, 1_000);
            CdkId active = plane.registry().findActive().orElseThrow().id();
            AtomicInteger writes = new AtomicInteger();
            RecordSourceException boom = new RecordSourceException("the database went away");
            RecordSource failing = new BeforeWriteSource(jdbc, w -> {
                if (writes.incrementAndGet() == 2) {
                    throw boom;
                }
            });
            MigrationRequest request = MigrationRequest.of(failing).withBatchSize(ROWS).withWriteChunk(CHUNK);

            RecordSourceException thrown = assertThrows(RecordSourceException.class,
                    () -> new Migration(plane).run(request));

            assertSame(boom, thrown, "the writer thread's failure, as it was thrown");
            assertEquals(2, writes.get(), "no chunk was written after the failed one");
            Map<Integer, String[]> stored = MigrationFixture.stored(dbs);
            for (Map.Entry<Integer, String[]> e : stored.entrySet()) {
                for (String v : e.getValue()) {
                    if (v != null) {
                        assertEquals(e.getKey() < CHUNK, MigrationFixture.cdkOf(v).equals(active),
                                "record " + e.getKey() + ": only the first chunk is under the target");
                    }
                }
            }

            MigrationResult rerun = new Migration(plane).run(MigrationRequest.of(jdbc).withBatchSize(ROWS)
                    .withWriteChunk(CHUNK));
            assertTrue(rerun.resumed());
            assertEquals(ROWS, rerun.job().counts().records());
            assertEquals(2 * (ROWS - CHUNK), rerun.job().counts().migrated());
            assertEquals(2 * CHUNK - 1, rerun.job().counts().alreadyTarget());
            MigrationTest.assertDecryptsToOriginalsUnder(plane, originals, MigrationFixture.stored(dbs), active);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "the next chunk was not prepared while this one was written");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
