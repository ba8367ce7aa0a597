package dev.dataenc.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.Wrapping;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link CdkRegistry} implementation must have. Shipped in the keystore-api
 * test-jar; subclasses provide an empty registry (and, for shared databases, a second
 * independent instance on the same data).
 */
public abstract class CdkRegistryContractTest {

    /** A new, empty registry. */
    protected abstract CdkRegistry newRegistry() throws Exception;

    /** Another instance over the same data as the last {@link #newRegistry()} (same instance if in-memory). */
    protected abstract CdkRegistry sameDataOtherInstance() throws Exception;

    protected CdkRegistry registry;
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void createRegistry() throws Exception {
        registry = newRegistry();
    }

    private Cdk newActive() {
        clock = clock.plus(1, ChronoUnit.MINUTES);
        return new Cdk(CdkId.random(), CdkStatus.ACTIVE, clock, List.of(wrapping("ks-a", new byte[] {1, 2, 3})));
    }

    private static Wrapping wrapping(String keystore, byte[] bytes) {
        return new Wrapping(keystore, "mk-" + keystore, "1", bytes);
    }

    @Test
    void empty_hasNoActiveAndNoCdks() {
        assertTrue(registry.findActive().isEmpty());
        assertTrue(registry.list().isEmpty());
        assertTrue(registry.find(CdkId.random()).isEmpty());
    }

    @Test
    void activate_storesCdkWithItsWrappings() {
        Cdk cdk = newActive();
        registry.activate(cdk, null);
        Cdk stored = registry.find(cdk.id()).orElseThrow();
        assertEquals(cdk.id(), stored.id());
        assertEquals(CdkStatus.ACTIVE, stored.status());
        assertEquals(cdk.createdAt(), stored.createdAt());
        assertEquals(cdk.wrappings(), stored.wrappings());
        assertEquals(cdk.id(), registry.findActive().orElseThrow().id());
    }

    @Test
    void activateNext_demotesPreviousToDecryptOnly() {
        Cdk first = newActive();
        registry.activate(first, null);
        Cdk second = newActive();
        registry.activate(second, first.id());
        assertEquals(CdkStatus.DECRYPT_ONLY, registry.find(first.id()).orElseThrow().status());
        assertEquals(second.id(), registry.findActive().orElseThrow().id());
        assertEquals(List.of(first.id(), second.id()), registry.list().stream().map(Cdk::id).toList());
        assertEquals(1, registry.list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
    }

    @Test
    void activateWithStaleExpectation_conflictsAndChangesNothing() {
        Cdk first = newActive();
        registry.activate(first, null);
        assertThrows(RegistryConflictException.class, () -> registry.activate(newActive(), null));
        assertThrows(RegistryConflictException.class, () -> registry.activate(newActive(), CdkId.random()));
        assertEquals(1, registry.list().size());
        assertEquals(first.id(), registry.findActive().orElseThrow().id());
    }

    @Test
    void concurrentActivations_exactlyOneWins() throws Exception {
        Cdk first = newActive();
        registry.activate(first, null);
        CdkRegistry other = sameDataOtherInstance();
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                CdkRegistry r = i % 2 == 0 ? registry : other;
                Cdk candidate = newActive();
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        r.activate(candidate, first.id());
                        return true;
                    } catch (RegistryConflictException lost) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get() ? 1 : 0;
            }
            assertEquals(1, wins);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, registry.list().size());
        assertEquals(1, registry.list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
        assertEquals(registry.findActive().orElseThrow().id(), other.findActive().orElseThrow().id());
    }

    @Test
    void addWrapping_keepsOldBesideNew_andIsIdempotent() {
        Cdk cdk = newActive();
        registry.activate(cdk, null);
        Wrapping b = wrapping("ks-b", new byte[] {9, 9});
        registry.addWrapping(cdk.id(), b);
        registry.addWrapping(cdk.id(), b);
        registry.addWrapping(cdk.id(), wrapping("ks-b", new byte[] {7}));
        List<Wrapping> ws = registry.find(cdk.id()).orElseThrow().wrappings();
        assertEquals(2, ws.size());
        assertTrue(ws.contains(cdk.wrappings().get(0)));
        assertTrue(ws.contains(b), "the first wrapping of a master key is kept, a repeat changes nothing");
    }

    @Test
    void removeWrapping_keepsTheOthers_andRefusesTheLastOne() {
        Cdk cdk = newActive();
        registry.activate(cdk, null);
        Wrapping original = cdk.wrappings().get(0);
        Wrapping b = wrapping("ks-b", new byte[] {9, 9});
        registry.addWrapping(cdk.id(), b);
        registry.removeWrapping(cdk.id(), original);
        assertEquals(List.of(b), registry.find(cdk.id()).orElseThrow().wrappings());
        registry.removeWrapping(cdk.id(), original);
        assertThrows(RegistryConflictException.class, () -> registry.removeWrapping(cdk.id(), b));
        assertEquals(List.of(b), registry.find(cdk.id()).orElseThrow().wrappings(), "the only wrapping stays");
        assertThrows(UnknownCdkException.class, () -> registry.removeWrapping(CdkId.random(), b));
    }

    @Test
    void addWrappingToUnknownCdk_fails() {
        assertThrows(UnknownCdkException.class, () -> registry.addWrapping(CdkId.random(), wrapping("x", new byte[] {1})));
    }

    @Test
    void updateStatus_isCompareAndSet() {
        Cdk first = newActive();
        registry.activate(first, null);
        registry.activate(newActive(), first.id());
        registry.updateStatus(first.id(), CdkStatus.DECRYPT_ONLY, CdkStatus.RETIRED);
        assertEquals(CdkStatus.RETIRED, registry.find(first.id()).orElseThrow().status());
        assertThrows(RegistryConflictException.class,
                () -> registry.updateStatus(first.id(), CdkStatus.DECRYPT_ONLY, CdkStatus.RETIRED));
        assertThrows(UnknownCdkException.class,
                () -> registry.updateStatus(CdkId.random(), CdkStatus.DECRYPT_ONLY, CdkStatus.RETIRED));
    }

    @Test
    void updateStatusToActive_whileAnotherIsActive_conflicts() {
        Cdk first = newActive();
        registry.activate(first, null);
        Cdk second = newActive();
        registry.activate(second, first.id());
        assertThrows(RegistryConflictException.class,
                () -> registry.updateStatus(first.id(), CdkStatus.DECRYPT_ONLY, CdkStatus.ACTIVE));
        assertEquals(second.id(), registry.findActive().orElseThrow().id());
        assertFalse(registry.find(first.id()).orElseThrow().status() == CdkStatus.ACTIVE);
    }

    @Test
    void otherInstance_seesChanges() throws Exception {
        Cdk cdk = newActive();
        registry.activate(cdk, null);
        assertEquals(cdk.id(), sameDataOtherInstance().findActive().orElseThrow().id());
    }

    private Cdk retiredCdk() {
        Cdk first = newActive();
        registry.activate(first, null);
        registry.activate(newActive(), first.id());
        registry.updateStatus(first.id(), CdkStatus.DECRYPT_ONLY, CdkStatus.RETIRED);
        return registry.find(first.id()).orElseThrow();
    }

    /**
     * Moves a RETIRED CDK to DESTRUCTION_SCHEDULED with a waiting period that has already ended. The default
     * uses {@link CdkRegistry#updateStatus}; registries that record the end of the waiting period override it.
     */
    protected void scheduleDueDestruction(CdkId retired) throws Exception {
        registry.updateStatus(retired, CdkStatus.RETIRED, CdkStatus.DESTRUCTION_SCHEDULED);
    }

    private Cdk scheduledCdk() throws Exception {
        Cdk retired = retiredCdk();
        scheduleDueDestruction(retired.id());
        return registry.find(retired.id()).orElseThrow();
    }

    @Test
    void activateNext_recordsWhenThePreviousStoppedBeingActive() {
        Cdk first = newActive();
        registry.activate(first, null);
        assertTrue(registry.find(first.id()).orElseThrow().decryptOnlySinceTime().isEmpty(), "ACTIVE has no such time");
        Instant before = Instant.now().minusSeconds(1);
        registry.activate(newActive(), first.id());
        Instant since = registry.find(first.id()).orElseThrow().decryptOnlySince();
        assertTrue(since != null && !since.isBefore(before), "decryptOnlySince recorded: " + since);
        registry.updateStatus(first.id(), CdkStatus.DECRYPT_ONLY, CdkStatus.RETIRED);
        assertEquals(since, registry.find(first.id()).orElseThrow().decryptOnlySince(), "kept when RETIRED");
    }

    @Test
    void destroyScheduled_deletesEveryWrapping_andRecordsWhen() throws Exception {
        Cdk retired = retiredCdk();
        registry.addWrapping(retired.id(), wrapping("ks-b", new byte[] {4}));
        scheduleDueDestruction(retired.id());

        Cdk destroyed = registry.destroy(retired.id());

        Cdk stored = sameDataOtherInstance().find(retired.id()).orElseThrow();
        assertEquals(CdkStatus.DESTROYED, stored.status());
        assertTrue(stored.wrappings().isEmpty(), "no wrapping left");
        assertTrue(stored.destroyedAt() != null);
        assertEquals(destroyed.destroyedAt(), stored.destroyedAt());
        assertEquals(retired.decryptOnlySince(), stored.decryptOnlySince());
        assertEquals(2, registry.list().size(), "the destroyed CDK stays listed");
    }

    @Test
    void addWrappingWhileDestructionScheduled_conflicts() throws Exception {
        Cdk scheduled = scheduledCdk();
        assertThrows(RegistryConflictException.class,
                () -> registry.addWrapping(scheduled.id(), wrapping("ks-b", new byte[] {4})));
        assertEquals(scheduled.wrappings(), registry.find(scheduled.id()).orElseThrow().wrappings());
    }

    @Test
    void destroyRetiredButNotScheduled_conflictsAndKeepsWrappings() {
        Cdk retired = retiredCdk();
        assertThrows(RegistryConflictException.class, () -> registry.destroy(retired.id()));
        assertEquals(CdkStatus.RETIRED, registry.find(retired.id()).orElseThrow().status());
        assertEquals(retired.wrappings(), registry.find(retired.id()).orElseThrow().wrappings());
    }

    @Test
    void destroyActiveOrDecryptOnly_conflictsAndKeepsWrappings() {
        Cdk first = newActive();
        registry.activate(first, null);
        assertThrows(RegistryConflictException.class, () -> registry.destroy(first.id()));
        Cdk second = newActive();
        registry.activate(second, first.id());
        assertThrows(RegistryConflictException.class, () -> registry.destroy(first.id()));
        assertEquals(first.wrappings(), registry.find(first.id()).orElseThrow().wrappings());
        assertEquals(CdkStatus.DECRYPT_ONLY, registry.find(first.id()).orElseThrow().status());
        assertEquals(second.wrappings(), registry.find(second.id()).orElseThrow().wrappings());
        assertThrows(UnknownCdkException.class, () -> registry.destroy(CdkId.random()));
    }

    @Test
    void destroyTwice_secondConflicts() throws Exception {
        Cdk retired = scheduledCdk();
        registry.destroy(retired.id());
        assertThrows(RegistryConflictException.class, () -> registry.destroy(retired.id()));
        assertEquals(CdkStatus.DESTROYED, registry.find(retired.id()).orElseThrow().status());
    }

    @Test
    void destroyedStatus_onlyThroughDestroy_andNeverLeft() throws Exception {
        Cdk retired = retiredCdk();
        assertThrows(IllegalArgumentException.class,
                () -> registry.updateStatus(retired.id(), CdkStatus.RETIRED, CdkStatus.DESTROYED));
        scheduleDueDestruction(retired.id());
        registry.destroy(retired.id());
        assertThrows(IllegalArgumentException.class,
                () -> registry.updateStatus(retired.id(), CdkStatus.DESTROYED, CdkStatus.RETIRED));
        assertThrows(RegistryConflictException.class,
                () -> registry.addWrapping(retired.id(), wrapping("ks-b", new byte[] {4})));
        assertTrue(registry.find(retired.id()).orElseThrow().wrappings().isEmpty());
    }

    @Test
    void readsDuringConcurrentActivations_alwaysSeeEveryCdkWithItsWrappings() throws Exception {
        registry.activate(newActive(), null);
        CdkRegistry reader = sameDataOtherInstance();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reads = pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    reader.findActive().orElseThrow();
                    reader.list();
                    reading.countDown();
                    n++;
                }
                return n;
            });
            assertTrue(reading.await(30, java.util.concurrent.TimeUnit.SECONDS), "the reader started");
            for (int i = 0; i < 40; i++) {
                Cdk next = newActive();
                registry.activate(next, registry.findActive().orElseThrow().id());
                registry.addWrapping(next.id(), wrapping("ks-b", new byte[] {(byte) i}));
            }
            stop.set(true);
            assertTrue(reads.get() > 0, "the reader ran while CDKs were activated and never saw an inconsistent CDK");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertEquals(41, reader.list().size());
    }

    private static CdkCheckValue checkValue(int fill) {
        byte[] v = new byte[CdkCheckValue.LENGTH];
        java.util.Arrays.fill(v, (byte) fill);
        return new CdkCheckValue(v);
    }

    @Test
    void activateWithCheckValue_storesIt_andStatusChangesKeepIt() throws Exception {
        Cdk first = newActive();
        Cdk cdk = new Cdk(first.id(), CdkStatus.ACTIVE, first.createdAt(), first.wrappings(), null, null, checkValue(7));
        registry.activate(cdk, null);
        assertEquals(checkValue(7), registry.find(cdk.id()).orElseThrow().checkValue());
        assertEquals(checkValue(7), sameDataOtherInstance().findActive().orElseThrow().checkValue());
        registry.addWrapping(cdk.id(), wrapping("ks-b", new byte[] {4}));
        registry.activate(newActive(), cdk.id());
        assertEquals(checkValue(7), registry.find(cdk.id()).orElseThrow().checkValue());
        registry.updateStatus(registry.findActive().orElseThrow().id(), CdkStatus.ACTIVE, CdkStatus.DECRYPT_ONLY);
        registry.updateStatus(cdk.id(), CdkStatus.DECRYPT_ONLY, CdkStatus.ACTIVE);
        assertEquals(checkValue(7), registry.findActive().orElseThrow().checkValue());
        assertEquals(checkValue(7), registry.list().stream().filter(c -> c.id().equals(cdk.id())).findFirst()
                .orElseThrow().checkValue());
    }

    @Test
    void legacyCdk_hasNoCheckValue_untilRecordedOnce_thenNeverChanged() throws Exception {
        Cdk cdk = newActive();
        registry.activate(cdk, null);
        assertTrue(registry.find(cdk.id()).orElseThrow().checkValueIfKnown().isEmpty());
        registry.recordCheckValue(cdk.id(), checkValue(1));
        assertEquals(checkValue(1), sameDataOtherInstance().find(cdk.id()).orElseThrow().checkValue());
        registry.recordCheckValue(cdk.id(), checkValue(1)); // the same value again: no change
        assertThrows(RegistryConflictException.class, () -> registry.recordCheckValue(cdk.id(), checkValue(2)));
        assertEquals(checkValue(1), registry.find(cdk.id()).orElseThrow().checkValue());
        assertThrows(UnknownCdkException.class, () -> registry.recordCheckValue(CdkId.random(), checkValue(1)));
    }
}
