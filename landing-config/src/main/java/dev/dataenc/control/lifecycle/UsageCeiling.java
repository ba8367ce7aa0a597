package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hard ceiling on encryptions under one CDK: 2^32, the bound NIST SP 800-38D (section 8.3) sets for
 * AES-GCM with random 96-bit nonces. Rotation replaces a CDK long before (the default policy rotates at
 * 2^31); the ceiling is the last line when rotation keeps failing.
 *
 * <p>A CDK's count is what the registry recorded for it (every node's flushed counts, refreshed on this
 * node's flush schedule, plus what this node flushed since) and what this node's key sources counted but
 * have not flushed yet. Other nodes' unflushed counts (at most one flush interval of their traffic) are
 * not visible here; the gap between the rotation policy's limit (at most 2^32 / 2, by default) and the
 * ceiling covers them.
 */
public final class UsageCeiling {

    /** Encryptions allowed under one CDK with random 96-bit nonces. */
    public static final long HARD_CEILING = 1L << 32;

    private final long ceiling;
    private final Map<CdkId, Long> recorded = new ConcurrentHashMap<>();
    private final List<UsageCountingKeySource> sources = new CopyOnWriteArrayList<>();

    /** The ceiling at {@link #HARD_CEILING}. */
    public UsageCeiling() {
        this(HARD_CEILING);
    }

    UsageCeiling(long ceiling) {
        if (ceiling <= 0) {
            throw new IllegalArgumentException("ceiling must be positive");
        }
        this.ceiling = ceiling;
    }

    void register(UsageCountingKeySource source) {
        sources.add(source);
    }

    /** Records what the registry says {@code id} was used for, across all nodes (replaces the previous value). */
    public void recorded(CdkId id, long total) {
        recorded.put(id, total);
    }

    /** Adds {@code n} encryptions that this node just flushed to the registry. */
    void flushed(CdkId id, long n) {
        recorded.merge(id, n, Long::sum);
    }

    /** Encryptions known for {@code id}: recorded in the registry plus this node's unflushed counts. */
    public long used(CdkId id) {
        long n = recorded.getOrDefault(id, 0L);
        for (UsageCountingKeySource s : sources) {
            n += s.pending(id);
        }
        return n;
    }

    /** Whether one more encryption under {@code id} stays within the ceiling. */
    boolean allowsAnother(CdkId id) {
        return used(id) < ceiling;
    }

    /** The ceiling in force. */
    public long ceiling() {
        return ceiling;
    }
}
