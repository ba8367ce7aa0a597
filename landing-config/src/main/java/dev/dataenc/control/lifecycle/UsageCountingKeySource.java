package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DataKeySource;
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
 * hot path never touches the database.
 */
public final class UsageCountingKeySource implements DataKeySource {

    private final Supplier<DataKeySource> delegate;
    private final CdkUsageStore.Kind kind;
    private final Map<CdkId, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile Consumer<CdkDestructionScheduledException> onScheduledRefused = e -> { };

    UsageCountingKeySource(Supplier<DataKeySource> delegate, CdkUsageStore.Kind kind) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** A source that always asks whatever {@code current} holds now. */
    public static UsageCountingKeySource over(AtomicReference<? extends DataKeySource> current, CdkUsageStore.Kind kind) {
        return new UsageCountingKeySource(current::get, kind);
    }

    @Override
    public DataKey activeKey() {
        DataKey key = delegate.get().activeKey();
        counts.computeIfAbsent(key.cdkId(), k -> new LongAdder()).increment();
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

    /** Adds the counts gathered since the last drain to the store. */
    public void drainTo(CdkUsageStore store) {
        for (Map.Entry<CdkId, LongAdder> e : counts.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n > 0) {
                try {
                    store.add(e.getKey(), kind, n);
                } catch (RuntimeException ex) {
                    e.getValue().add(n);
                    throw ex;
                }
            }
        }
    }
}
