package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DataKeySource;
import dev.dataenc.error.CdkUsageLimitException;
import dev.dataenc.error.CdkDestructionScheduledException;
import dev.dataenc.keystore.DataKey;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The data plane's key source inside a control plane: delegates to the current CDK cache (which
 * is replaced when the configuration changes) and counts, per CDK, how often the ACTIVE key was
 * handed out for encryption. {@link #drainTo} moves the counts to the registry in a batch, so the
 * hot path never touches the database. Encryption under a CDK that has reached the {@link UsageCeiling}
 * is refused with {@link CdkUsageLimitException}.
 *
 * <p>The hot path keeps a reference to the last CDK's counters, so counting an encryption is two counter
 * increments and a comparison (see {@link UsageCeiling} for when it takes a lock).
 */
public final class UsageCountingKeySource implements DataKeySource {

    private final Supplier<DataKeySource> delegate;
    private final CdkUsageStore.Kind kind;
    private final Map<CdkId, LongAdder> counts = new ConcurrentHashMap<>();
    private final UsageCeiling ceiling;
    private volatile Tally last;
    private volatile Consumer<CdkDestructionScheduledException> onScheduledRefused = e -> { };

    UsageCountingKeySource(Supplier<DataKeySource> delegate, CdkUsageStore.Kind kind, UsageCeiling ceiling) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.ceiling = Objects.requireNonNull(ceiling, "ceiling");
    }

    /** A source that always asks whatever {@code current} holds now, with its own {@link UsageCeiling}. */
    public static UsageCountingKeySource over(AtomicReference<? extends DataKeySource> current, CdkUsageStore.Kind kind) {
        return over(current, kind, new UsageCeiling());
    }

    /** A source that always asks whatever {@code current} holds now, counting against the shared {@code ceiling}. */
    public static UsageCountingKeySource over(AtomicReference<? extends DataKeySource> current, CdkUsageStore.Kind kind,
                                              UsageCeiling ceiling) {
        return new UsageCountingKeySource(current::get, kind, ceiling);
    }

    @Override
    public DataKey activeKey() {
        DataKey key = delegate.get().activeKey();
        CdkId id = key.cdkId();
        Tally t = last;
        if (t == null || (t.id != id && !t.id.equals(id))) {
            t = new Tally(id, counts.computeIfAbsent(id, k -> new LongAdder()), ceiling.budget(id));
            last = t;
        }
        if (!ceiling.take(t.budget)) {
            throw new CdkUsageLimitException(id, "CDK " + id + " has reached " + ceiling.ceiling() + " encryptions, the"
                    + " limit for AES-GCM with random nonces; encryption under it is refused (decryption still works)."
                    + " Rotation should have replaced it: see 'dataenc status' for why it fails, then run 'dataenc rotate-cdk'");
        }
        t.count.increment();
        return key;
    }

    @Override
    public DataKey key(CdkId id) {
        try {
            return delegate.get().key(id);
        } catch (CdkDestructionScheduledException e) {
            onScheduledRefused.accept(e);
            throw e;
        }
    }

    /** Tells {@code alarm} about every refused request for a CDK whose destruction is scheduled. */
    public void onScheduledRefused(Consumer<CdkDestructionScheduledException> alarm) {
        this.onScheduledRefused = Objects.requireNonNull(alarm, "alarm");
    }

    /** Encryptions under {@code id} counted by this process but not yet added to the store. */
    public long pending(CdkId id) {
        LongAdder n = counts.get(id);
        return n == null ? 0 : n.sum();
    }

    /** Encryptions counted by this process but not yet added to the store, over every CDK. */
    public long pendingTotal() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Encryptions counted by this process but not yet added to the store, per CDK (only CDKs with some). */
    public Map<CdkId, Long> pendingByCdk() {
        Map<CdkId, Long> out = new java.util.TreeMap<>(java.util.Comparator.comparing(CdkId::toString));
        counts.forEach((id, n) -> {
            long v = n.sum();
            if (v > 0) {
                out.put(id, v);
            }
        });
        return out;
    }

    /** Adds the counts gathered since the last drain to the store. */
    public void drainTo(CdkUsageStore store) {
        for (Map.Entry<CdkId, LongAdder> e : counts.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n > 0) {
                try {
                    store.add(e.getKey(), kind, n);
                    ceiling.flushed(e.getKey(), n);
                } catch (RuntimeException ex) {
                    e.getValue().add(n);
                    throw ex;
                }
            }
        }
    }

    /** The last CDK's counters, kept for the hot path. */
    private record Tally(CdkId id, LongAdder count, UsageCeiling.Budget budget) {
    }
}
