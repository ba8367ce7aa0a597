package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.MigrationFixture.Databases;
import dev.dataenc.testing.CrashingChild;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM migrating a 3,000-row table many times at random points (after the
 * job is planned, after n records, after n write chunks, after a batch is done), then runs the
 * migration to the end: every value decrypts to its original, under the target CDK, and the job's
 * counters account for every record and value exactly once.
 */
class MigrationCrashTest {

    static final int ROWS = 3000;
    static final int NULL_EVERY = 13;

    @TempDir
    Path dir;

    static MigrationRequest request(RecordSource source) {
        return MigrationRequest.of(source).withBatchSize(50).withWriteChunk(20);
    }

    @Test
    void killedAtRandomPointsManyTimes_finalRunCompletesAndEveryValueDecryptsToItsOriginal() throws Exception {
        long seed = Long.getLong("dataenc.crashloop.seed", System.nanoTime());
        System.out.println("MigrationCrashTest seed " + seed);
        Random random = new Random(seed);
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        Map<Integer, String[]> originals;
        Set<CdkId> old = new HashSet<>();
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "setup")) {
            originals = MigrationFixture.fill(plane, dbs, ROWS, 3, NULL_EVERY);
            MigrationFixture.stored(dbs).values().forEach(r -> {
                for (String v : r) {
                    if (v != null) {
                        old.add(MigrationFixture.cdkOf(v));
                    }
                }
            });
        }
        List<String> kills = new ArrayList<>();
        kills.add("job-planned:1");
        for (int i = 0; i < Integer.getInteger("dataenc.crashloop.kills", 8); i++) {
            kills.add(switch (i % 3) {
                case 0 -> "record:" + (1 + random.nextInt(300));
                case 1 -> "chunk-written:" + (1 + random.nextInt(12));
                default -> "batch-done:" + (1 + random.nextInt(4));
            });
        }
        for (String kill : kills) {
            CrashingChild.runAndKill(MigrationCrashChild.class, kill + ", seed " + seed + ", kills " + kills, dir.toString(), kill);
        }

        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "final");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            CdkId target = plane.registry().findActive().orElseThrow().id();
            Migration migration = new Migration(plane);
            MigrationResult r = migration.run(request(source));
            String why = "seed " + seed + ", kills " + kills;
            assertTrue(r.resumed(), why);
            assertTrue(r.completedHere(), why);
            assertEquals(1, migration.store().history(10).size(), "one job, resumed each time: " + why);
            MigrationJob job = r.job();
            assertEquals(target, job.target());
            long nulls = originals.values().stream().flatMap(v -> java.util.Arrays.stream(v))
                    .filter(v -> v == null).count();
            ValueCounts n = job.counts();
            assertEquals(ROWS, n.records(), "every record counted once: " + n + ", " + why);
            assertEquals(nulls, n.nulls(), why);
            assertEquals(2L * ROWS - nulls, n.migrated() + n.alreadyTarget(), "every value counted once: " + n + ", " + why);
            assertEquals(0, n.changedByApp() + n.unreadable() + n.plaintext() + n.encryptedPlaintext(), why);
            List<MigrationBatch> batches = migration.store().batches(job.id());
            assertEquals(ROWS / 50, batches.size());
            assertTrue(batches.stream().allMatch(b -> b.status() == BatchStatus.DONE), why);
            assertEquals(ROWS, batches.stream().mapToLong(b -> b.counts().records()).sum(), why);
            MigrationTest.assertDecryptsToOriginalsUnder(plane, originals, MigrationFixture.stored(dbs), target);
            ReferenceScan scan = r.references().orElseThrow();
            for (CdkId o : old) {
                assertEquals(0, scan.referencesTo(o), why);
            }
            assertEquals(2L * ROWS - nulls, scan.referencesTo(target));
            assertEquals(1, plane.audit().byAction(AuditAction.MIGRATION_STARTED).size());
            assertEquals(kills.size(), plane.audit().byAction(AuditAction.MIGRATION_RESUMED).size(), why);
            assertEquals(1, plane.audit().byAction(AuditAction.MIGRATION_COMPLETED).size());
        }
    }
}
