package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.testing.FakeKeystore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CdkCacheTest {

    private static final String CONTEXT = "Customer.email";
    private PropertyFixture f = new PropertyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void firstUseMisses_thenHits_countersAgree() {
        DataKey k1 = f.cache.activeKey();
        DataKey k2 = f.cache.activeKey();
        DataKey k3 = f.cache.key(f.activeId());
        assertSame(k1, k2);
        assertSame(k1, k3);
        CacheStats s = f.cache.stats();
        assertEquals(1, s.misses());
        assertEquals(2, s.hits());
        assertEquals(1, s.keystoreCalls());
        assertEquals(1, f.keystore.unwrapCalls.get());
        assertEquals(0, s.evictions());
        assertEquals(1, s.entries());
    }

    @Test
    void steadyState_makesNoKeystoreOrRegistryCalls() {
        byte[] ct = f.cipher.encrypt("warm".getBytes(UTF_8), CONTEXT);
        f.cipher.decrypt(ct, CONTEXT);
        int keystoreCalls = f.keystore.calls();
        int registryCalls = f.countingRegistry.calls.get();
        for (int i = 0; i < 10_000; i++) {
            byte[] c = f.cipher.encrypt(("v" + i).getBytes(UTF_8), CONTEXT);
            assertArrayEquals(("v" + i).getBytes(UTF_8), f.cipher.decrypt(c, CONTEXT));
        }
        assertEquals(keystoreCalls, f.keystore.calls());
        assertEquals(registryCalls, f.countingRegistry.calls.get());
        assertEquals(1, f.cache.stats().keystoreCalls());
    }

    @Test
    void manyThreadsMissTogether_oneUnwrap() throws Exception {
        f.keystore.setDelayMillis(200);
        CdkId id = f.activeId();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DataKey>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return f.cache.key(id);
                }));
            }
            ready.await();
            go.countDown();
            DataKey first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<DataKey> r : results) {
                assertSame(first, r.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, f.keystore.unwrapCalls.get());
        assertEquals(1, f.cache.stats().keystoreCalls());
    }

    @Test
    void manyThreadsMissTogetherWhileKeystoreDisabled_allGetTypedErrorFromOneCall() throws Exception {
        f.keystore.setDelayMillis(200);
        f.keystore.setState(MasterKeyState.DISABLED);
        CdkId id = f.activeId();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Throwable>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        f.cache.key(id);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                }));
            }
            Thread.sleep(50);
            go.countDown();
            for (Future<Throwable> r : results) {
                assertTrue(r.get(10, TimeUnit.SECONDS) instanceof CdkUnavailableException);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(f.keystore.unwrapCalls.get() <= 2, "calls: " + f.keystore.unwrapCalls.get());
    }

    @Test
    void olderThanMaxAge_reloadsAndDestroysOldKey() {
        DataKey first = f.cache.activeKey();
        f.advanceMillis(Duration.ofMinutes(5).toMillis() - 1);
        assertSame(first, f.cache.key(first.cdkId()));
        f.advanceMillis(2);
        DataKey second = f.cache.key(first.cdkId());
        assertNotSame(first, second);
        assertTrue(first.isDestroyed());
        assertFalse(second.isDestroyed());
        assertEquals(2, f.keystore.unwrapCalls.get());
        assertEquals(1, f.cache.stats().evictions());
    }

    @Test
    void moreThanMaxEntries_evictsOldestLoadedAndDestroysIt() {
        f.close();
        f = new PropertyFixture(true, CacheLimits.defaults().withMaxEntries(2));
        CdkId a = f.activeId();
        CdkId b = f.rotate().id();
        CdkId c = f.rotate().id();
        DataKey ka = f.cache.key(a);
        f.advanceMillis(1);
        DataKey kb = f.cache.key(b);
        f.advanceMillis(1);
        DataKey kc = f.cache.key(c);
        assertTrue(ka.isDestroyed());
        assertFalse(kb.isDestroyed());
        assertFalse(kc.isDestroyed());
        CacheStats s = f.cache.stats();
        assertEquals(2, s.entries());
        assertEquals(1, s.evictions());
        DataKey ka2 = f.cache.key(a);
        assertFalse(ka2.isDestroyed());
        assertTrue(kb.isDestroyed());
        assertEquals(4, f.keystore.unwrapCalls.get());
    }

    @Test
    void keystoreDisabled_failsWithState_thenWorksWhenEnabled() {
        f.keystore.setState(MasterKeyState.DISABLED);
        CdkUnavailableException e = assertThrows(CdkUnavailableException.class, () -> f.cache.activeKey());
        assertTrue(e.getMessage().contains("DISABLED"), e.getMessage());
        assertTrue(e.getMessage().contains("fake-a"), e.getMessage());
        assertEquals(f.activeId(), e.cdkId());
        assertEquals(0, f.cache.stats().entries());
        f.keystore.setState(MasterKeyState.ENABLED);
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), CONTEXT);
        assertArrayEquals("x".getBytes(UTF_8), f.cipher.decrypt(ct, CONTEXT));
        assertEquals(2, f.keystore.unwrapCalls.get());
    }

    @Test
    void wrappingOfUnconfiguredKeystore_failsListingIt() {
        CdkId id = CdkId.random();
        f.registry.activate(new Cdk(id, CdkStatus.ACTIVE, Instant.now(),
                List.of(new Wrapping("elsewhere", "arn:kms:k1", "3", new byte[60]))), f.activeId());
        f.cache.invalidateActive();
        CdkUnavailableException e = assertThrows(CdkUnavailableException.class, () -> f.cache.activeKey());
        assertTrue(e.getMessage().contains("elsewhere") && e.getMessage().contains("arn:kms:k1")
                && e.getMessage().contains("version 3") && e.getMessage().contains("configured: fake-a"),
                e.getMessage());
        assertEquals(0, f.keystore.unwrapCalls.get());
    }

    @Test
    void secondWrappingWorks_whenFirstKeystoreFails() {
        FakeKeystore b = new FakeKeystore("fake-b");
        Cdk cdk = f.registry.findActive().orElseThrow();
        f.registry.addWrapping(cdk.id(), b.wrap(f.cache.key(cdk.id()))); // the cache owns the key: not closed here
        f.keystore.setState(MasterKeyState.PENDING_DELETION);
        try (CdkCache cache = new CdkCache(f.registry, List.of(f.keystore, b), CacheLimits.defaults())) {
            DataKey k = cache.key(cdk.id());
            assertEquals(cdk.id(), k.cdkId());
            assertEquals(2, cache.stats().keystoreCalls());
            assertEquals(1, b.unwrapCalls.get());
        }
    }

    @Test
    void unknownCdk_failsWithUnknownCdk() {
        CdkId missing = CdkId.random();
        UnknownCdkException e = assertThrows(UnknownCdkException.class, () -> f.cache.key(missing));
        assertEquals(missing, e.cdkId());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("another installation")
                && e.getMessage().contains("wrong database"), e.getMessage());
        assertEquals(0, f.keystore.unwrapCalls.get());
    }

    @Test
    void noActiveCdk_failsWithNoActiveCdk_untilOneIsGenerated() {
        try (PropertyFixture empty = new PropertyFixture(false, CacheLimits.defaults())) {
            NoActiveCdkException e = assertThrows(NoActiveCdkException.class, () -> empty.cache.activeKey());
            assertTrue(e.getMessage().contains("dataenc rotate-cdk"), e.getMessage());
            empty.generator.generateActive(empty.keystore);
            assertEquals(empty.activeId(), empty.cache.activeKey().cdkId());
        }
    }

    @Test
    void activeId_isRereadOnlyAfterRefreshInterval() {
        CdkId first = f.activeId();
        assertEquals(first, f.cache.activeKey().cdkId());
        Cdk second = f.generator.generateActive(f.keystore); // another node rotated; no invalidate here
        f.advanceMillis(9_999);
        assertEquals(first, f.cache.activeKey().cdkId());
        f.advanceMillis(2);
        assertEquals(second.id(), f.cache.activeKey().cdkId());
    }

    @Test
    void invalidateActive_rereadsImmediately() {
        CdkId first = f.cache.activeKey().cdkId();
        Cdk second = f.rotate();
        assertEquals(second.id(), f.cache.activeKey().cdkId());
        assertFalse(first.equals(second.id()));
    }

    @Test
    void evictAllAndClose_destroyKeys() {
        DataKey k = f.cache.activeKey();
        f.cache.evictAll();
        assertTrue(k.isDestroyed());
        assertEquals(0, f.cache.stats().entries());
        DataKey k2 = f.cache.activeKey();
        f.cache.close();
        assertTrue(k2.isDestroyed());
        assertThrows(IllegalStateException.class, () -> f.cache.activeKey());
        assertTrue(f.cache.toString().contains("closed"));
    }

    @Test
    void toString_showsCountsOnly() {
        f.cache.activeKey();
        String s = f.cache.toString();
        assertEquals("CdkCache[entries=1, hits=0, misses=1, keystoreCalls=1, evictions=0]", s);
    }

    @Test
    void limits_mustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CacheLimits(Duration.ZERO, 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new CacheLimits(Duration.ofSeconds(1), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new CacheLimits(Duration.ofSeconds(1), 1, Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> new CacheLimits(null, 1, Duration.ofSeconds(1)));
        CacheLimits d = CacheLimits.defaults();
        assertEquals(Duration.ofMinutes(5), d.maxAge());
        assertEquals(1000, d.maxEntries());
        assertEquals(Duration.ofSeconds(10), d.activeRefresh());
    }

    private static byte[] foreignCiphertext() {
        return new PropertyCipher(dev.dataenc.testing.FixedDataKeySource.withRandomKey()).encrypt(new byte[] {1}, CONTEXT);
    }

    /** Old code: every foreign ciphertext was one registry query. */
    @Test
    void floodOfForeignCiphertexts_costsOneRegistryQueryPerIdAndInterval() {
        byte[] foreign = foreignCiphertext();
        int before = f.countingRegistry.calls.get();
        for (int i = 0; i < 1000; i++) {
            assertThrows(UnknownCdkException.class, () -> f.cipher.decrypt(foreign, CONTEXT));
        }
        assertEquals(before + 1, f.countingRegistry.calls.get());
        f.advanceMillis(CdkCache.DEFAULT_UNKNOWN_TTL_SECONDS * 1000 - 1);
        assertThrows(UnknownCdkException.class, () -> f.cipher.decrypt(foreign, CONTEXT));
        assertEquals(before + 1, f.countingRegistry.calls.get());
        f.advanceMillis(2);
        assertThrows(UnknownCdkException.class, () -> f.cipher.decrypt(foreign, CONTEXT));
        assertEquals(before + 2, f.countingRegistry.calls.get());
        assertEquals(0, f.keystore.unwrapCalls.get());
    }

    @Test
    void cdkStoredAfterItWasRememberedUnknown_isFoundAfterTtlOrInvalidate() {
        CdkId id = CdkId.random();
        assertThrows(UnknownCdkException.class, () -> f.cache.key(id));
        try (dev.dataenc.keystore.GeneratedDataKey g = f.keystore.generateDataKey(id)) {
            f.registry.activate(Cdk.generated(g, Instant.now()), f.activeId());
        }
        assertThrows(UnknownCdkException.class, () -> f.cache.key(id), "still remembered as unknown");
        f.cache.invalidateActive();
        assertEquals(id, f.cache.key(id).cdkId());
    }

    @Test
    void manyDistinctUnknownIds_rememberedAtMostMaxUnknown() {
        for (int i = 0; i < CdkCache.MAX_UNKNOWN + 50; i++) {
            CdkId id = CdkId.random();
            assertThrows(UnknownCdkException.class, () -> f.cache.key(id));
        }
        assertTrue(f.cache.unknownRemembered() <= CdkCache.MAX_UNKNOWN, "remembered " + f.cache.unknownRemembered());
    }

    @Test
    void unknownCdkTtlZero_queriesEveryTime() {
        try (PropertyFixture p = new PropertyFixture(true, b -> b.unknownCdkTtl(Duration.ZERO))) {
            byte[] foreign = foreignCiphertext();
            int before = p.countingRegistry.calls.get();
            for (int i = 0; i < 3; i++) {
                assertThrows(UnknownCdkException.class, () -> p.cipher.decrypt(foreign, CONTEXT));
            }
            assertEquals(before + 3, p.countingRegistry.calls.get());
        }
    }
}
