package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hard ceiling on encryptions under one CDK: 2^32, the bound NIST SP 800-38D (section 8.3) sets for
 * AES-GCM with random 96-bit nonces. Rotation replaces a CDK long before (the default policy rotates at
 * 2^31); the ceiling is the last line when rotation keeps failing.
 *
 * <p>A CDK's count is what the registry recorded for it (every node's flushed counts, refreshed on this
 * node's flush schedule, plus what this node flushed since) and what this node counted but has not flushed
 * yet. Other nodes' unflushed counts (at most one flush interval of their traffic) are not visible here;
 * the gap between the rotation policy's limit (at most 2^32 / 2, by default) and the ceiling covers them.
 *
 * <p>The check is cheap while the ceiling is far: a full check (under the CDK's lock) grants the node
 * half of the encryptions left, during which each encryption only compares a counter with the grant.
 * When fewer than {@link #EXACT_BELOW} encryptions are left, every encryption is checked and counted
 * under the lock, so this node never goes past the ceiling, whatever the number of threads. A refreshed
 * registry count withdraws the grant.
 */
public final class UsageCeiling {

    /** Encryptions allowed under one CDK with random 96-bit nonces. */
    public static final long HARD_CEILING = 1L << 32;
    /** Below this many encryptions left, each one is checked under the CDK's lock. */
    static final long EXACT_BELOW = 1L << 20;

    private final long ceiling;
    private final Map<CdkId, Budget> budgets = new ConcurrentHashMap<>();

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

    /** The CDK's budget (created on first use); key sources keep the reference for their hot path. */
    Budget budget(CdkId id) {
        return budgets.computeIfAbsent(id, Budget::new);
    }

    /** Records what the registry says {@code id} was used for, across all nodes (replaces the previous value). */
    public void recorded(CdkId id, long total) {
        Budget b = budget(id);
        synchronized (b) {
            b.recorded = total;
            b.fastUntil = 0; // others' counts may have grown: check fully before the next encryption
        }
    }

    /** Moves {@code n} encryptions that this node just flushed to the registry from pending to recorded. */
    void flushed(CdkId id, long n) {
        Budget b = budget(id);
        synchronized (b) {
            b.recorded += n;
            b.flushed += n;
        }
    }

    /** Encryptions known for {@code id}: recorded in the registry plus this node's unflushed counts. */
    public long used(CdkId id) {
        Budget b = budgets.get(id);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            return b.usedLocked();
        }
    }

    /**
     * Counts one encryption under the budget's CDK if it stays within the ceiling.
     *
     * @return false (nothing counted) if the CDK has reached the ceiling
     */
    boolean take(Budget b) {
        if (b.counted.sum() < b.fastUntil) {
            b.counted.increment();
            return true;
        }
        synchronized (b) {
            long used = b.usedLocked();
            if (used >= ceiling) {
                return false;
            }
            b.counted.increment();
            long left = ceiling - used - 1;
            b.fastUntil = left >= EXACT_BELOW ? b.counted.sum() + left / 2 : 0;
            return true;
        }
    }

    /** The ceiling in force. */
    public long ceiling() {
        return ceiling;
    }

    /**
     * One CDK's usage on this node: the registry's count, what this node counted (never reset) and flushed,
     * and how far the counter may go before the next full check.
     */
    static final class Budget {
        final CdkId id;
        /** Encryptions this node counted under the CDK since the start; only ever grows. */
        final LongAdder counted = new LongAdder();
        /** While {@code counted} is below this, an encryption needs no full check; 0: always check. */
        volatile long fastUntil;
        private long recorded; // guarded by this
        private long flushed; // guarded by this

        Budget(CdkId id) {
            this.id = id;
        }

        long usedLocked() {
            return recorded + counted.sum() - flushed;
        }
    }
}
