package dev.dataenc.migrate;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a node renews the lease of the batch it works on. Checked after each committed write chunk, a renewal is due
 * once a tenth of the lease has passed since the claim or the last renewal: the lease then never runs out under a
 * node that commits a chunk at least every nine tenths of the lease, as before, while a batch of many fast chunks
 * costs one registry write per tenth of the lease instead of one per chunk. A lease lost to another node is noticed
 * at the next renewal; until then this node's compare-and-set writes are as safe as they always are against a
 * second writer (a value already under the target is left alone).
 */
final class LeaseRenewal {

    /** A renewal is due after {@code lease / PARTS}. */
    static final int PARTS = 10;

    private final long interval;
    private final LongSupplier nanos;
    private long since;

    /**
     * @param lease     the lease each claim and renewal grants
     * @param claimedAt {@code nanos} read just before the batch was claimed
     * @param nanos     a monotonic clock in nanoseconds ({@link System#nanoTime()})
     */
    LeaseRenewal(Duration lease, long claimedAt, LongSupplier nanos) {
        this.interval = lease.toNanos() / PARTS;
        this.since = claimedAt;
        this.nanos = nanos;
    }

    /** The time to pass to {@link #renewed} when a due renewal is made: read before the registry write. */
    long now() {
        return nanos.getAsLong();
    }

    /** Whether the lease should be renewed now. */
    boolean due() {
        return nanos.getAsLong() - since >= interval;
    }

    /** Records a successful renewal that started at {@code startedAt} (from {@link #now()}). */
    void renewed(long startedAt) {
        since = startedAt;
    }
}
