package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.error.ActiveCdkNotWrappedException;
import dev.dataenc.error.CdkCheckFailedException;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataKeySource} that keeps unwrapped CDKs in memory, so that steady-state encryption
 * and decryption make no registry or keystore calls.
 *
 * <ul>
 *   <li>A hit is a lock-free map read plus an age check against a coarse clock (a volatile read).</li>
 *   <li>A miss loads the CDK from the registry and unwraps it with the first configured keystore
 *       that can, verified against the CDK's check value ({@link CdkUnwrapper}, {@link VerifiedUnwrap}).
 *       Loads are single-flight: threads missing the same CDK at once share one load and get the
 *       same key or the same exception. Failed loads are not cached; the next call tries again,
 *       except that an id the registry does not know is remembered as unknown for
 *       {@link Builder#unknownCdkTtl} (default {@value #DEFAULT_UNKNOWN_TTL_SECONDS} s, at most
 *       {@value #MAX_UNKNOWN} ids), so a flood of foreign ciphertexts costs one registry query per
 *       id and interval, not one per ciphertext.</li>
 *   <li>Keys older than {@link CacheLimits#maxAge()} are reloaded, and with the default clock destroyed within
 *       about a second even when nobody asks for them; when there are more than
 *       {@link CacheLimits#maxEntries()} the oldest-loaded is evicted. Evicted keys are destroyed
 *       (zeroized), even if a caller still holds them: callers must check
 *       {@link DataKey#isDestroyed()} after use and ask again (as {@link PropertyCipher} does).</li>
 *   <li>The ACTIVE CDK id is re-read from the registry every {@link CacheLimits#activeRefresh()},
 *       or on the next use after {@link #invalidateActive()}.</li>
 *   <li>With an {@link Builder#activeKeystore active keystore} named, the key for encryption is
 *       unwrapped only through a wrapping of that keystore: an ACTIVE CDK it does not wrap is
 *       refused with {@link ActiveCdkNotWrappedException}. Without one (the default, and the
 *       constructors), any configured keystore may supply it.</li>
 *   <li>A CDK without a check value (legacy) is handled by the {@link LegacyCdkPolicy} (default
 *       {@link LegacyCdkPolicy#WARN}).</li>
 * </ul>
 * Thread-safe. {@link #close()} destroys every cached key; close a cache that is no longer used (one with the
 * default clock stays referenced by the clock's thread, which sweeps it every second, until it is closed).
 */
public final class CdkCache implements DataKeySource, AutoCloseable {

    /** Default time an unknown CDK id is remembered. */
    public static final long DEFAULT_UNKNOWN_TTL_SECONDS = 5;
    /** Most unknown ids remembered at once. */
    public static final int MAX_UNKNOWN = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(CdkCache.class);

    private final CdkRegistry registry;
    private final CdkUnwrapper unwrapper;
    private final List<Keystore> keystores;
    private final Supplier<String> activeKeystore;
    private final LegacyCdkPolicy legacyPolicy;
    private final LongSupplier nanoTime;
    /** The clock {@link #nanoTime} is when none was given, released at {@link #close()}; otherwise null. */
    private final CoarseClock coarseClock;
    /** Run by {@link #coarseClock} every second: removes keys older than maxAge even when nobody asks for them. */
    private final Runnable expireIdle = this::expireIdle;
    private final long maxAgeNanos;
    private final long activeRefreshNanos;
    private final long unknownTtlNanos;
    private final int maxEntries;

    private final ConcurrentHashMap<CdkId, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LoadKey, CompletableFuture<Entry>> loads = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CdkId, Long> unknownUntil = new ConcurrentHashMap<>();
    private final Set<CdkId> legacyWarned = ConcurrentHashMap.newKeySet();
    private final Object activeLock = new Object();
    private volatile Active active;
    private volatile boolean closed;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final OperationObserver observer;

    /**
     * A cache over {@code registry} that unwraps with {@code keystores}, timing ages by a clock that follows
     * {@link System#nanoTime()} within the coarse clock's 10 ms tick (one volatile read per hit instead of a
     * system clock read; a key is used at most that much longer than {@link CacheLimits#maxAge()}).
     */
    public CdkCache(CdkRegistry registry, Collection<Keystore> keystores, CacheLimits limits) {
        this(builder(registry, keystores).limits(limits));
    }

    /**
     * A cache with its own time source (for tests).
     *
     * @param nanoTime a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     */
    public CdkCache(CdkRegistry registry, Collection<Keystore> keystores, CacheLimits limits, LongSupplier nanoTime) {
        this(builder(registry, keystores).limits(limits).nanoTime(nanoTime));
    }

    private CdkCache(Builder b) {
        this.registry = b.registry;
        this.keystores = List.copyOf(b.keystores);
        this.observer = b.observer;
        this.unwrapper = new CdkUnwrapper(keystores, observer);
        this.activeKeystore = b.activeKeystore;
        this.legacyPolicy = b.legacyPolicy;
        this.coarseClock = b.nanoTime == null ? CoarseClock.shared().acquire() : null;
        this.nanoTime = b.nanoTime == null ? coarseClock : b.nanoTime;
        this.maxAgeNanos = saturatedNanos(b.limits.maxAge());
        this.activeRefreshNanos = saturatedNanos(b.limits.activeRefresh());
        this.unknownTtlNanos = saturatedNanos(b.unknownTtl);
        this.maxEntries = b.limits.maxEntries();
        if (coarseClock != null) {
            coarseClock.everySecond(expireIdle);
        }
    }

    /** A builder for a cache over {@code registry} that unwraps with {@code keystores}. */
    public static Builder builder(CdkRegistry registry, Collection<Keystore> keystores) {
        return new Builder(registry, keystores);
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoActiveCdkException if the registry has no ACTIVE CDK
     * @throws ActiveCdkNotWrappedException if an active keystore is set and has no wrapping of the ACTIVE CDK
     * @throws CdkCheckFailedException if the ACTIVE CDK's key fails its check value, or it is a legacy CDK and
     *                                 the policy refuses to encrypt under one
     */
    @Override
    public DataKey activeKey() {
        long now = nanoTime.getAsLong();
        Active a = active;
        if (a == null || now - a.readAt >= activeRefreshNanos) {
            a = refreshActive(now);
        }
        if (a.legacy && legacyPolicy != LegacyCdkPolicy.WARN) {
            throw new CdkCheckFailedException(a.id, "the ACTIVE CDK " + a.id + " has no check value (it was made before"
                    + " check values existed), and this cache refuses to encrypt under such a CDK (legacy policy "
                    + legacyPolicy + "). Rotate the CDK ('dataenc rotate-cdk') or have an administrator record its"
                    + " check value.");
        }
        return key(a.id, now, activeKeystore != null);
    }

    /** Makes the next {@link #activeKey()} re-read the ACTIVE CDK id (call after a rotation in this process). */
    public void invalidateActive() {
        active = null;
        unknownUntil.clear();
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnknownCdkException if the registry does not know the CDK
     * @throws dev.dataenc.error.CdkDestroyedException if the CDK was destroyed on purpose
     * @throws dev.dataenc.error.CdkUnavailableException if no configured keystore can unwrap it
     * @throws CdkCheckFailedException if its wrappings unwrap only to keys that fail its check value, or it is a
     *                                 legacy CDK and the policy is {@link LegacyCdkPolicy#REFUSE}
     * @throws IllegalStateException if the cache is closed
     */
    @Override
    public DataKey key(CdkId id) {
        return key(Objects.requireNonNull(id, "id"), nanoTime.getAsLong(), false);
    }

    private DataKey key(CdkId id, long now, boolean viaActive) {
        Entry e = entries.get(id);
        if (e != null && fresh(e, now) && (e.viaActive || !viaActive)) {
            hits.increment();
            return e.key;
        }
        if (closed) {
            throw closedError();
        }
        misses.increment();
        if (e != null && !fresh(e, now)) {
            evict(id, e);
        }
        while (true) {
            Entry loaded = load(new LoadKey(id, viaActive));
            if (loaded.viaActive || !viaActive) {
                return loaded.key;
            }
            // joined a decryption-path load of the ACTIVE CDK: load again through the active keystore
        }
    }

    private boolean fresh(Entry e, long now) {
        return now - e.loadedAt < maxAgeNanos && !e.key.isDestroyed();
    }

    private Entry load(LoadKey lk) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = loads.putIfAbsent(lk, mine);
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
            Entry loaded = loadNow(lk.id, lk.viaActive);
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error ex) {
            mine.completeExceptionally(ex);
            throw ex;
        } finally {
            loads.remove(lk, mine);
        }
    }

    private Entry loadNow(CdkId id, boolean viaActive) {
        long now = nanoTime.getAsLong();
        Entry current = entries.get(id);
        if (current != null && fresh(current, now) && (current.viaActive || !viaActive)) {
            return current; // another thread finished loading just before we started
        }
        Cdk cdk = find(id, now);
        applyLegacyPolicy(cdk);
        DataKey key = viaActive ? unwrapForEncryption(cdk) : unwrapper.unwrap(cdk);
        Entry loaded = new Entry(key, nanoTime.getAsLong(), viaActive);
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

    /** The registry's CDK, or {@link UnknownCdkException}, remembered for a few seconds when unknown. */
    private Cdk find(CdkId id, long now) {
        Long until = unknownUntil.get(id);
        if (until != null) {
            if (now - until < 0) {
                throw unknown(id);
            }
            unknownUntil.remove(id, until);
        }
        Cdk cdk = registry.find(id).orElse(null);
        if (cdk == null) {
            rememberUnknown(id, now);
            throw unknown(id);
        }
        return cdk;
    }

    private void rememberUnknown(CdkId id, long now) {
        if (unknownUntil.size() >= MAX_UNKNOWN) {
            unknownUntil.values().removeIf(u -> now - u >= 0);
            Iterator<CdkId> it = unknownUntil.keySet().iterator();
            while (unknownUntil.size() >= MAX_UNKNOWN && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        unknownUntil.put(id, now + unknownTtlNanos);
    }

    private static UnknownCdkException unknown(CdkId id) {
        return new UnknownCdkException(id, "CDK " + id + " is not in the CDK registry. The ciphertext may come from"
                + " another installation, or the registry may point at the wrong database (check its connection"
                + " settings).");
    }

    private void applyLegacyPolicy(Cdk cdk) {
        if (cdk.checkValue() != null) {
            return;
        }
        if (legacyPolicy == LegacyCdkPolicy.REFUSE) {
            throw new CdkCheckFailedException(cdk.id(), "CDK " + cdk.id() + " has no check value (it was made before"
                    + " check values existed), and this cache refuses such CDKs (legacy policy REFUSE). Have an"
                    + " administrator record its check value, or relax the policy.");
        }
        if (legacyWarned.add(cdk.id())) {
            LOG.warn("CDK {} has no key check value (made before registry schema V6): its unwrapped key cannot be"
                    + " verified. An administrator should record its check value (or rotate it if ACTIVE).", cdk.id());
        }
    }

    /** The ACTIVE CDK's key, only through a wrapping the active keystore can unwrap. */
    private DataKey unwrapForEncryption(Cdk cdk) {
        String activeKeystore = this.activeKeystore.get();
        if (activeKeystore == null) {
            return unwrapper.unwrap(cdk);
        }
        Keystore ks = keystores.stream().filter(k -> k.name().equals(activeKeystore)).findFirst().orElse(null);
        if (ks == null) {
            throw new ActiveCdkNotWrappedException(cdk.id(), "encryption refused: the active keystore '" + activeKeystore
                    + "' is not among the keystores open here (" + String.join(", ", keystores.stream()
                    .map(Keystore::name).toList()) + "), so the ACTIVE CDK " + cdk.id() + " cannot be proven to be"
                    + " protected by it. Fix the keystore's configuration or availability.");
        }
        if (cdk.wrappings().stream().noneMatch(ks::canUnwrap)) {
            throw new ActiveCdkNotWrappedException(cdk.id(), "encryption refused: the ACTIVE CDK " + cdk.id() + " has no"
                    + " wrapping that the active keystore '" + activeKeystore + "' can unwrap (its wrappings: "
                    + String.join(", ", cdk.wrappings().stream().map(VerifiedUnwrap::describe).toList()) + ")."
                    + " New data is encrypted only under a CDK that the active keystore's master key protects: finish"
                    + " the keystore switch, or rotate the CDK ('dataenc rotate-cdk'). Decryption is not affected.");
        }
        return new CdkUnwrapper(List.of(ks), observer).unwrap(cdk);
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
            Cdk cdk = registry.findActive().orElseThrow(() -> new NoActiveCdkException(
                    "there is no ACTIVE customer data key (CDK) in the registry, so nothing can be encrypted."
                            + " Generate one, for example with 'dataenc rotate-cdk'."));
            a = new Active(cdk.id(), now, cdk.checkValue() == null);
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
        unknownUntil.clear();
    }

    /** How many unknown CDK ids are remembered now (for tests of the bound). */
    int unknownRemembered() {
        return unknownUntil.size();
    }

    /** A snapshot of the counters. */
    public CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), unwrapper.attempts(), evictions.sum(), entries.size());
    }

    /** Destroys every cached key; the cache cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        boolean first;
        synchronized (activeLock) {
            first = !closed;
            closed = true;
        }
        if (first && coarseClock != null) {
            coarseClock.cancel(expireIdle);
            coarseClock.release();
        }
        evictAll();
    }

    /**
     * Destroys keys older than maxAge now (and the oldest beyond maxEntries), instead of at their next use;
     * run every second by the shared clock.
     */
    private void expireIdle() {
        if (!closed) {
            sweep(nanoTime.getAsLong());
        }
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

    private static long saturatedNanos(Duration d) {
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

    /** Settings of a {@link CdkCache}; every one has a default. */
    public static final class Builder {
        private final CdkRegistry registry;
        private final Collection<Keystore> keystores;
        private CacheLimits limits = CacheLimits.defaults();
        private LongSupplier nanoTime; // null: the shared CoarseClock
        private Supplier<String> activeKeystore;
        private LegacyCdkPolicy legacyPolicy = LegacyCdkPolicy.WARN;
        private Duration unknownTtl = Duration.ofSeconds(DEFAULT_UNKNOWN_TTL_SECONDS);
        private OperationObserver observer = OperationObserver.NONE;

        private Builder(CdkRegistry registry, Collection<Keystore> keystores) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.keystores = List.copyOf(Objects.requireNonNull(keystores, "keystores"));
        }

        /**
         * Size and age limits and the legacy-CDK policy (default {@link CacheLimits#defaults()}); the later of this
         * and {@link #legacyCdks} decides the policy.
         */
        public Builder limits(CacheLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            this.legacyPolicy = limits.legacyCdks();
            return this;
        }

        /**
         * A monotonic clock in nanoseconds, like {@link System#nanoTime()}; for tests. The default follows
         * {@code System.nanoTime()} within 10 ms and costs one volatile read (see {@link CdkCache#CdkCache(CdkRegistry,
         * Collection, CacheLimits)}).
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * The keystore the registry designates as active: the key for encryption is then unwrapped
         * only through its wrapping of the ACTIVE CDK, and an ACTIVE CDK it does not wrap is refused.
         * {@code null} (the default) lets any of the cache's keystores supply it.
         */
        public Builder activeKeystore(String name) {
            this.activeKeystore = name == null ? null : () -> name;
            return this;
        }

        /**
         * As {@link #activeKeystore(String)}, asked each time the ACTIVE CDK's key is loaded for
         * encryption (once per new ACTIVE CDK or cache age, never per message), so a switch committed
         * by another node is followed without rebuilding the cache; for example the registry's
         * recorded active keystore. A supplier answering {@code null} means no restriction.
         */
        public Builder activeKeystore(Supplier<String> name) {
            this.activeKeystore = Objects.requireNonNull(name, "name");
            return this;
        }

        /** What to do with CDKs that have no check value (default {@link LegacyCdkPolicy#WARN}). */
        public Builder legacyCdks(LegacyCdkPolicy policy) {
            this.legacyPolicy = Objects.requireNonNull(policy, "policy");
            this.limits = limits.withLegacyCdks(policy);
            return this;
        }

        /**
         * How long an id the registry does not know is answered from memory (default 5 seconds;
         * zero turns this off); a CDK stored meanwhile is seen after this at the
         * latest, or at once after {@link CdkCache#invalidateActive()}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder unknownCdkTtl(Duration ttl) {
            if (Objects.requireNonNull(ttl, "ttl").isNegative()) {
                throw new IllegalArgumentException("unknownCdkTtl must not be negative, got " + ttl);
            }
            this.unknownTtl = ttl;
            return this;
        }

        /** Reports each keystore call (unwrap) to {@code observer}; default {@link OperationObserver#NONE}. */
        public Builder observer(OperationObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The cache. */
        public CdkCache build() {
            return new CdkCache(this);
        }
    }

    private record Entry(DataKey key, long loadedAt, boolean viaActive) {
    }

    private record LoadKey(CdkId id, boolean viaActive) {
    }

    private record Active(CdkId id, long readAt, boolean legacy) {
    }
}
