package dev.dataenc.testing;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DataKeySource;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DataKeySource} over a fixed set of keys, one of them active. Unknown ids fail with
 * {@link UnknownCdkException}. Can be told to hand out already-destroyed keys a number of
 * times, to imitate cache eviction racing with use.
 */
public final class FixedDataKeySource implements DataKeySource {

    private final Map<CdkId, DataKey> keys = new LinkedHashMap<>();
    private volatile CdkId active;
    private final AtomicInteger destroyedHandOuts = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /** A source with one fresh random key, which is active. */
    public static FixedDataKeySource withRandomKey() {
        return new FixedDataKeySource(List.of(DataKey.generate(CdkId.random())), 0);
    }

    /** A source over {@code keys}; {@code keys.get(activeIndex)} is active. */
    public FixedDataKeySource(List<DataKey> keys, int activeIndex) {
        for (DataKey k : keys) {
            this.keys.put(k.cdkId(), k);
        }
        this.active = keys.isEmpty() ? null : keys.get(activeIndex).cdkId();
    }

    /** Makes another known key active. */
    public synchronized void activate(CdkId id) {
        if (!keys.containsKey(id)) {
            throw new IllegalArgumentException("unknown " + id);
        }
        active = id;
    }

    /** The next {@code n} hand-outs return a destroyed copy of the key, as if just evicted. */
    public void handOutDestroyedKeys(int n) {
        destroyedHandOuts.set(n);
    }

    /** Number of activeKey/key calls so far. */
    public int calls() {
        return calls.get();
    }

    public CdkId activeId() {
        return active;
    }

    @Override
    public synchronized DataKey activeKey() {
        if (active == null) {
            throw new NoActiveCdkException("no ACTIVE CDK in this test source");
        }
        return handOut(keys.get(active));
    }

    @Override
    public synchronized DataKey key(CdkId id) {
        DataKey k = keys.get(id);
        if (k == null) {
            throw new UnknownCdkException(id, "CDK " + id + " is not known to this test key source");
        }
        return handOut(k);
    }

    private DataKey handOut(DataKey k) {
        calls.incrementAndGet();
        if (destroyedHandOuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            DataKey copy = DataKey.copyOf(k.cdkId(), k.getEncoded());
            copy.destroy();
            return copy;
        }
        return k;
    }
}
