package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Application writes during a migration, and two nodes migrating one table together. */
class ConcurrentMigrationTest {

    @TempDir
    Path dir;

    /**
     * Between the migration's read and its write, the application sets one value under the ACTIVE
     * CDK, one under an old CDK (a lagging node) and one to NULL: the first and last are kept as the
     * application wrote them, the stale one is migrated again from what the application wrote.
     */
    @Test
    void applicationWritesBetweenReadAndWrite_keptOrMigratedAgain_neverOverwritten() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource jdbc = MigrationFixture.customerSource(dbs)) {
            String stale = plane.propertyCipher().encryptString("stale-app-value", "customer.email");
            Map<Integer, String[]> originals = MigrationFixture.fill(plane, dbs, 20, 2, 1000);
            String fresh = plane.propertyCipher().encryptString("fresh-app-value", "customer.email");
            AtomicBoolean interfered = new AtomicBoolean();
            RecordSource source = new BeforeWriteSource(jdbc, writes -> {
                if (interfered.compareAndSet(false, true)) {
                    appWrite(dbs, 1, fresh);
                    appWrite(dbs, 2, stale);
                    appWrite(dbs, 3, null);
                }
            });
            CdkId active = plane.registry().findActive().orElseThrow().id();
            MigrationResult r = new Migration(plane).run(MigrationRequest.of(source).withWriteChunk(5));
            ValueCounts n = r.job().counts();
            assertEquals(2, n.changedByApp(), n.toString());
            assertEquals(1, n.nulls(), n.toString());
            assertEquals(40 - 1 - 2, n.migrated(), n.toString());
            Map<Integer, String[]> stored = MigrationFixture.stored(dbs);
            assertEquals(fresh, stored.get(1)[0], "the application's write under the ACTIVE CDK is kept as written");
            assertEquals("stale-app-value", plane.propertyCipher().decryptString(stored.get(2)[0], "customer.email"));
            assertEquals(active, PropertyCipher.cdkIdOf(stored.get(2)[0]), "the stale write was migrated again");
            assertNull(stored.get(3)[0]);
            for (int i = 4; i < 20; i++) {
                assertEquals(originals.get(i)[0], plane.propertyCipher().decryptString(stored.get(i)[0], "customer.email"));
            }
            assertEquals(0, r.references().orElseThrow().references().keySet().stream()
                    .filter(c -> !c.equals(active)).count(), "no old CDK referenced");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void applicationThreadWritingDuringMigration_lastWritesPreserved(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        MigrationFixture.createCustomer(dbs);
        int rows = 1500;
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            Map<Integer, String> staleCiphertexts = new HashMap<>();
            for (int i = 0; i < rows; i += 7) {
                staleCiphertexts.put(i, plane.propertyCipher().encryptString("stale-" + i, "customer.email"));
            }
            Map<Integer, String[]> originals = MigrationFixture.fill(plane, dbs, rows, 3, 11);
            CdkId active = plane.registry().findActive().orElseThrow().id();
            Map<Integer, String> lastWrites = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger appWrites = new AtomicInteger();
            CountDownLatch migrating = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> app = pool.submit(() -> {
                Random random = new Random();
                migrating.await();
                try (Connection c = dbs.host();
                     PreparedStatement s = c.prepareStatement("UPDATE customer SET email = ? WHERE id = ?")) {
                    int n = 0;
                    while (!stop.get()) {
                        int id = random.nextInt(rows);
                        String plain;
                        String ciphertext;
                        if (staleCiphertexts.containsKey(id) && random.nextBoolean()) {
                            plain = "stale-" + id;
                            ciphertext = staleCiphertexts.get(id);
                        } else {
                            plain = "app-" + id + "-" + n++;
                            ciphertext = plane.propertyCipher().encryptString(plain, "customer.email");
                        }
                        s.setString(1, ciphertext);
                        s.setInt(2, id);
                        s.executeUpdate();
                        lastWrites.put(id, plain);
                        appWrites.incrementAndGet();
                    }
                }
                return null;
            });
            MigrationProgress slowly = new MigrationProgress() {
                @Override
                public void started(MigrationJob job, long done) {
                    migrating.countDown();
                }

                @Override
                public void advanced(long done, long total) {
                    sleep(3);
                }
            };
            MigrationResult first;
            int duringMigration;
            try {
                first = new Migration(plane, Migration.Options.defaults().withProgress(slowly))
                        .run(MigrationRequest.of(source).withBatchSize(100).withWriteChunk(10));
                duringMigration = appWrites.get();
            } finally {
                stop.set(true);
                app.get(30, TimeUnit.SECONDS);
                pool.shutdownNow();
            }
            assertTrue(duringMigration > 50, "the application wrote during the migration: " + duringMigration);
            ValueCounts n = first.job().counts();
            assertEquals(rows, n.records());
            assertEquals(n.records() * 2, n.values(), n.toString());

            Map<Integer, String[]> stored = MigrationFixture.stored(dbs);
            assertFinalIsLastWrite(plane, originals, lastWrites, stored);
            // stale values written after their batch was done are still under an old CDK: the reference scan shows
            // them, and a second run moves them; values stay the application's last writes
            MigrationResult second = new Migration(plane).run(MigrationRequest.of(source).withBatchSize(100));
            assertEquals(0, second.job().counts().changedByApp(), "the application has stopped");
            Map<Integer, String[]> after = MigrationFixture.stored(dbs);
            assertFinalIsLastWrite(plane, originals, lastWrites, after);
            for (String[] row : after.values()) {
                for (String v : row) {
                    if (v != null) {
                        assertEquals(active, PropertyCipher.cdkIdOf(v));
                    }
                }
            }
            assertEquals(Set.of(active), second.references().orElseThrow().references().keySet());
        }
    }

    /** Two control planes (two nodes) on one PostgreSQL registry migrate one PostgreSQL table together. */
    @Test
    void twoNodesOnPostgres_shareTheBatches_eachDoneOnce() throws Exception {
        Databases dbs = MigrationFixture.postgres();
        MigrationFixture.createCustomer(dbs);
        int rows = 3000;
        try (ControlPlane node1 = MigrationFixture.open(dir, dbs, "node1");
             ControlPlane node2 = MigrationFixture.open(dir, dbs, "node2");
             JdbcRecordSource source1 = MigrationFixture.customerSource(dbs);
             JdbcRecordSource source2 = MigrationFixture.customerSource(dbs)) {
            Map<Integer, String[]> originals = MigrationFixture.fill(node1, dbs, rows, 3, 17);
            CdkId active = node1.registry().findActive().orElseThrow().id();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<MigrationResult> results = new ArrayList<>();
            try {
                List<Future<MigrationResult>> futures = new ArrayList<>();
                for (Object[] node : new Object[][] {{node1, source1}, {node2, source2}}) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return new Migration((ControlPlane) node[0])
                                .run(MigrationRequest.of((RecordSource) node[1]).withBatchSize(100).withWriteChunk(50));
                    }));
                }
                go.countDown();
                for (Future<MigrationResult> f : futures) {
                    results.add(f.get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            MigrationStore store = new MigrationStore(node1.database());
            assertEquals(1, store.history(10).size(), "one job for both nodes");
            MigrationJob job = store.history(1).get(0);
            assertEquals(MigrationStatus.COMPLETED, job.status());
            assertEquals(30, job.batchesTotal());
            Set<Integer> done = new HashSet<>();
            for (MigrationResult r : results) {
                assertFalse(r.batchesDone().isEmpty(), "each node did part: " + r.batchesDone());
                for (int b : r.batchesDone()) {
                    assertTrue(done.add(b), "batch " + b + " done by both nodes");
                }
            }
            assertEquals(30, done.size());
            assertEquals(1, results.stream().filter(MigrationResult::completedHere).count());
            for (MigrationBatch b : store.batches(job.id())) {
                assertEquals(BatchStatus.DONE, b.status());
                assertEquals(1, b.attempts(), "batch " + b.batchNo() + " claimed once");
            }
            ValueCounts sum = results.get(0).byThisNode().plus(results.get(1).byThisNode());
            assertEquals(job.counts(), sum);
            assertEquals(rows, sum.records());
            MigrationTest.assertDecryptsToOriginalsUnder(node2, originals, MigrationFixture.stored(dbs), active);
            assertEquals(Set.of(active), results.get(0).references().orElseThrow().references().keySet());
        }
    }

    private static void assertFinalIsLastWrite(ControlPlane plane, Map<Integer, String[]> originals,
                                               Map<Integer, String> lastWrites, Map<Integer, String[]> stored) {
        for (Map.Entry<Integer, String[]> e : stored.entrySet()) {
            String email = e.getValue()[0];
            String want = lastWrites.containsKey(e.getKey()) ? lastWrites.get(e.getKey()) : originals.get(e.getKey())[0];
            assertEquals(want, email == null ? null : plane.propertyCipher().decryptString(email, "customer.email"),
                    "row " + e.getKey());
            String phone = e.getValue()[1];
            assertEquals(originals.get(e.getKey())[1], phone == null ? null
                    : plane.propertyCipher().decryptString(phone, "Customer.phone"));
        }
    }

    private static void appWrite(Databases dbs, int id, String value) {
        try (Connection c = dbs.host();
             PreparedStatement s = c.prepareStatement("UPDATE customer SET email = ? WHERE id = ?")) {
            s.setString(1, value);
            s.setInt(2, id);
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
