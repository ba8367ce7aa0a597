package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a migrating node renews its batch lease: once a tenth of the lease has passed, not after every chunk. */
class LeaseRenewalTest {

    @TempDir
    Path dir;

    @Test
    void tenthOfLeasePassed_renewalDueAndCountedFromItsStart() {
        long[] now = {1_000};
        LeaseRenewal lease = new LeaseRenewal(Duration.ofNanos(1_000), 1_000, () -> now[0]);
        now[0] = 1_099;
        assertFalse(lease.due(), "99 ns of a 1000 ns lease");
        now[0] = 1_100;
        assertTrue(lease.due(), "a tenth");
        long at = lease.now();
        now[0] = 1_150; // the registry write took 50 ns
        lease.renewed(at);
        now[0] = 1_199;
        assertFalse(lease.due());
        now[0] = 1_200;
        assertTrue(lease.due(), "counted from before the renewal, so the lease cannot run out sooner than planned");
    }

    @Test
    void zeroLease_renewalAlwaysDue() {
        LeaseRenewal lease = new LeaseRenewal(Duration.ZERO, 5, () -> 5);
        assertTrue(lease.due());
    }

    @Test
    void hourLease_batchLeaseNotRenewedBetweenChunks() throws Exception {
        Map<Integer, List<Instant>> seen = leasesSeenAtEachChunk(Duration.ofHours(1));
        assertEquals(2, seen.size(), "two batches");
        for (Map.Entry<Integer, List<Instant>> e : seen.entrySet()) {
            assertEquals(4, e.getValue().size(), "4 chunks of batch " + e.getKey());
            assertEquals(1, e.getValue().stream().distinct().count(), "batch " + e.getKey()
                    + " kept the lease of its claim: no registry write per chunk");
        }
    }

    @Test
    void zeroLease_batchLeaseRenewedAfterEveryChunk() throws Exception {
        Map<Integer, List<Instant>> seen = leasesSeenAtEachChunk(Duration.ZERO);
        for (Map.Entry<Integer, List<Instant>> e : seen.entrySet()) {
            List<Instant> leases = e.getValue();
            for (int i = 1; i < leases.size(); i++) {
                assertTrue(leases.get(i).isAfter(leases.get(i - 1)), "batch " + e.getKey() + " renewed after chunk " + i);
            }
        }
    }

    /** Migrates 40 records in 2 batches of 4 chunks; the lease of the claimed batch as each chunk is committed. */
    private Map<Integer, List<Instant>> leasesSeenAtEachChunk(Duration leaseTime) throws Exception {
        Databases dbs = MigrationFixture.databases("h2", dir);
        MigrationFixture.createCustomer(dbs);
        Map<Integer, List<Instant>> seen = new TreeMap<>();
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            MigrationFixture.fill(plane, dbs, 40, 1, 1_000);
            Migration[] migration = new Migration[1];
            migration[0] = new Migration(plane, Migration.Options.defaults().withLease(leaseTime).withCrash(name -> {
                if (name.equals("chunk-written")) {
                    MigrationJob job = migration[0].store().running(source.name()).orElseThrow();
                    for (MigrationBatch b : migration[0].store().batches(job.id())) {
                        if (b.status() == BatchStatus.CLAIMED) {
                            seen.computeIfAbsent(b.batchNo(), k -> new ArrayList<>()).add(b.leaseUntil());
                        }
                    }
                }
            }));
            MigrationResult result = migration[0].run(MigrationRequest.of(source).withBatchSize(20).withWriteChunk(5));
            assertEquals(40, result.job().counts().records());
            assertEquals(79, result.job().counts().migrated(), "every value but the NULL email of record 0");
        }
        return seen;
    }
}
