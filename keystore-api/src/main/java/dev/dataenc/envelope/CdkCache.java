package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A {@link DataKeySource} that keeps unwrapped CDKs in memory, so that steady-state encryption
 * and decryption make no registry or keystore calls.
 *
 * <ul>
 *   <li>A hit is a lock-free map read plus an age check.</li>
 *   <li>A miss loads the CDK from the registry and unwraps it with the first configured keystore
 *       that can ({@link CdkUnwrapper}). Loads are single-flight: threads missing the same CDK at
 *       once share one load and get the same key or the same exception. Failed loads are not
 *       cached; the next call tries again.</li>
 *   <li>Keys older than {@link CacheLimits#maxAge()} are reloaded; when there are more than
 *       {@link CacheLimits#maxEntries()} the oldest-loaded is evicted. Evicted keys are destroyed
 *       (zeroized), even if a caller still holds them: callers must check
 *       {@link DataKey#isDestroyed()} after use and ask again (as {@link PropertyCipher} does).</li>
 *   <li>The ACTIVE CDK id is re-read from the registry every {@link CacheLimits#activeRefresh()},
 *       or on the next use after {@link #invalidateActive()}.</li>
 * </ul>
 * Thread-safe. {@link #close()} destroys every cached key.
 */
public final class CdkCache implements DataKeySource, AutoCloseable {

    private final CdkRegistry registry;
    private final CdkUnwrapper unwrapper;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private final long activeRefreshNanos;
    private final int maxEntries;

    private final ConcurrentHashMap<CdkId, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CdkId, CompletableFuture<Entry>> loads = new ConcurrentHashMap<>();
    private final Object activeLock = new Object();
    private volatile Active active;
    private volatile boolean closed;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** A cache over {@code registry} that unwraps with {@code keystores}, timed by {@link System#nanoTime()}. */
    public CdkCache(CdkRegistry registry, Collection<Keystore> keystores, CacheLimits limits) {
        this(registry, keystores, limits, System::nanoTime);
    }

    /**
     * A cache with its own time source (for tests).
     *
     * @param nanoTime a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     */
    public CdkCache(CdkRegistry registry, Collection<Keystore> keystores, CacheLimits limits, LongSupplier nanoTime) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.unwrapper = new CdkUnwrapper(Objects.requireNonNull(keystores, "keystores"));
        Objects.requireNonNull(limits, "limits");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.maxAgeNanos = saturatedNanos(limits.maxAge());
        this.activeRefreshNanos = saturatedNanos(limits.activeRefresh());
        this.maxEntries = limits.maxEntries();
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoActiveCdkException if the registry has no ACTIVE CDK
     */
    @Override
    public DataKey activeKey() {
        long now = nanoTime.getAsLong();
        Active a = active;
        if (a == null || now - a.readAt >= activeRefreshNanos) {
            a = refreshActive(now);
        }
        return key(a.id, now);
    }

    /** Makes the next {@link #activeKey()} re-read the ACTIVE CDK id (call after a rotation in this process). */
    public void invalidateActive() {
        active = null;
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnknownCdkException if the registry does not know the CDK
     * @throws dev.dataenc.error.CdkDestroyedException if the CDK was destroyed on purpose
     * @throws dev.dataenc.error.CdkUnavailableException if no configured keystore can unwrap it
     * @throws IllegalStateException if the cache is closed
     */
    @Override
    public DataKey key(CdkId id) {
        return key(Objects.requireNonNull(id, "id"), nanoTime.getAsLong());
    }

    private DataKey key(CdkId id, long now) {
        Entry e = entries.get(id);
        if (e != null && now - e.loadedAt < maxAgeNanos && !e.key.isDestroyed()) {
            hits.increment();
            return e.key;
        }
        if (closed) {
            throw closedError();
        }
        misses.increment();
        if (e != null) {
            evict(id, e);
        }
        return load(id).key;
    }

    private Entry load(CdkId id) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = loads.putIfAbsent(id, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException ce) {
                if (ce.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw ce;
            }
        }
        try {
            Entry loaded = loadNow(id);
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error ex) {
            mine.completeExceptionally(ex);
            throw ex;
        } finally {
            loads.remove(id, mine);
        }
    }

    private Entry loadNow(CdkId id) {
        long now = nanoTime.getAsLong();
        Entry current = entries.get(id);
        if (current != null && now - current.loadedAt < maxAgeNanos && !current.key.isDestroyed()) {
            return current; // another thread finished loading just before we started
        }
        Cdk cdk = registry.find(id).orElseThrow(() -> new UnknownCdkException(id, "CDK " + id + " is not in the"
                + " CDK registry. The ciphertext may come from another installation, or the registry may point at"
                + " the wrong database (check its connection settings)."));
        DataKey key = unwrapper.unwrap(cdk);
        Entry loaded = new Entry(key, nanoTime.getAsLong());
        Entry replaced = entries.put(id, loaded);
        if (replaced != null) {
            destroy(replaced);
        }
        sweep(loaded.loadedAt);
        if (closed) {
            evict(id, loaded);
            throw closedError();
        }
        return loaded;
    }

    /** Destroys expired entries, then the oldest-loaded ones while there are more than maxEntries. */
    private void sweep(long now) {
        for (Map.Entry<CdkId, Entry> me : entries.entrySet()) {
            if (now - me.getValue().loadedAt >= maxAgeNanos) {
                evict(me.getKey(), me.getValue());
            }
        }
        while (entries.size() > maxEntries) {
            Map.Entry<CdkId, Entry> oldest = null;
            for (Map.Entry<CdkId, Entry> me : entries.entrySet()) {
                if (oldest == null || me.getValue().loadedAt - oldest.getValue().loadedAt < 0) {
                    oldest = me;
                }
            }
            if (oldest == null) {
                return;
            }
            evict(oldest.getKey(), oldest.getValue());
        }
    }

    private Active refreshActive(long now) {
        synchronized (activeLock) {
            Active a = active;
            if (a != null && now - a.readAt < activeRefreshNanos) {
                return a; // refreshed by another thread while we waited
            }
            if (closed) {
                throw closedError();
            }
            CdkId id = registry.findActive().map(Cdk::id).orElseThrow(() -> new NoActiveCdkException(
                    "there is no ACTIVE customer data key (CDK) in the registry, so nothing can be encrypted."
                            + " Generate one, for example with 'dataenc rotate-cdk'."));
            a = new Active(id, now);
            active = a;
            sweep(now);
            return a;
        }
    }

    /** Removes and destroys every cached key; later calls load again. */
    public void evictAll() {
        for (Map.Entry<CdkId, Entry> me : entries.entrySet()) {
            evict(me.getKey(), me.getValue());
        }
        active = null;
    }

    /** A snapshot of the counters. */
    public CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), unwrapper.attempts(), evictions.sum(), entries.size());
    }

    /** Destroys every cached key; the cache cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        closed = true;
        evictAll();
    }

    private void evict(CdkId id, Entry e) {
        if (entries.remove(id, e)) {
            destroy(e);
        }
    }

    private void destroy(Entry e) {
        e.key.destroy();
        evictions.increment();
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("this CdkCache has been closed; create a new one");
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        CacheStats s = stats();
        return "CdkCache[entries=" + s.entries() + ", hits=" + s.hits() + ", misses=" + s.misses()
                + ", keystoreCalls=" + s.keystoreCalls() + ", evictions=" + s.evictions() + (closed ? ", closed" : "")
                + "]";
    }

    private record Entry(DataKey key, long loadedAt) {
    }

    private record Active(CdkId id, long readAt) {
    }
}
