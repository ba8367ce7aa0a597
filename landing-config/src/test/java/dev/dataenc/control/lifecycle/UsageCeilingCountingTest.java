package dev.dataenc.control.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DataKeySource;
import dev.dataenc.error.CdkUsageLimitException;
import dev.dataenc.keystore.DataKey;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The usage ceiling's cheap counting (a grant of half the encryptions left, exact checks near the ceiling) never
 * lets a node go past the ceiling, whatever the number of threads, and a refreshed registry count withdraws a grant.
 */
class UsageCeilingCountingTest {

    private static final int THREADS = 4;

    @Test
    void manyThreadsFromFarBelowTheCeiling_exactlyTheCeilingIsGranted() throws Exception {
        long limit = 3 * UsageCeiling.EXACT_BELOW + 5; // crosses the granted region into the exact one
        UsageCeiling ceiling = new UsageCeiling(limit);
        UsageCeiling.Budget budget = ceiling.budget(CdkId.random());
        long granted = race(() -> {
            long n = 0;
            while (ceiling.take(budget)) {
                n++;
            }
            return n;
        });
        assertEquals(limit, granted);
        assertEquals(limit, ceiling.used(budget.id));
        assertFalse(ceiling.take(budget), "still refused afterwards");
    }

    @Test
    void propertyAndBlobSourcesOnManyThreads_refuseAtTheSharedCeiling_countsFlushExactly() throws Exception {
        long limit = 1_000;
        UsageCeiling ceiling = new UsageCeiling(limit);
        DataKey key = DataKey.generate(CdkId.random());
        AtomicReference<DataKeySource> cache = new AtomicReference<>(new FixedKey(key));
        UsageCountingKeySource properties = UsageCountingKeySource.over(cache, CdkUsageStore.Kind.PROPERTY, ceiling);
        UsageCountingKeySource blobs = UsageCountingKeySource.over(cache, CdkUsageStore.Kind.BLOB, ceiling);
        long granted = race(() -> {
            long n = 0;
            for (int i = 0; ; i++) {
                try {
                    (i % 2 == 0 ? properties : blobs).activeKey();
                    n++;
                } catch (CdkUsageLimitException e) {
                    return n;
                }
            }
        });
        assertEquals(limit, granted);
        assertEquals(limit, properties.pending(key.cdkId()) + blobs.pending(key.cdkId()));
        ceiling.flushed(key.cdkId(), properties.pending(key.cdkId())); // as drainTo does after the store took them
        assertEquals(limit, ceiling.used(key.cdkId()), "flushing moves counts, it does not free any");
        assertThrows(CdkUsageLimitException.class, properties::activeKey);
        key.destroy();
    }

    @Test
    void registryCountRefreshed_withdrawsTheGrant() {
        long limit = 8 * UsageCeiling.EXACT_BELOW;
        UsageCeiling ceiling = new UsageCeiling(limit);
        UsageCeiling.Budget budget = ceiling.budget(CdkId.random());
        assertTrue(ceiling.take(budget)); // grants about half of what is left
        ceiling.recorded(budget.id, limit - 2); // other nodes used nearly all of it meanwhile
        assertTrue(ceiling.take(budget)); // limit - 2 recorded + 1 unflushed = limit - 1 used: one more allowed
        assertFalse(ceiling.take(budget), "the earlier grant was withdrawn by the refresh");
    }

    /** Runs {@code work} on {@value #THREADS} threads started together; the sum of what they return. */
    private static long race(Callable<Long> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            long sum = 0;
            for (Future<Long> f : results) {
                sum += f.get();
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A key source with one ACTIVE key. */
    private record FixedKey(DataKey key) implements DataKeySource {
        @Override
        public DataKey activeKey() {
            return key;
        }

        @Override
        public DataKey key(CdkId id) {
            return key;
        }
    }
}
