package dev.dataenc.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When the ACTIVE CDK should be replaced by a new one.
 *
 * @param maxAge      rotate when the ACTIVE CDK is older than this (default 90 days, allowed 30 to 365 days)
 * @param maxMessages rotate when this many values and BLOBs were encrypted under it (default 2^31, half of
 *                    the 2^32 bound for AES-GCM with random 96-bit IVs: usage is counted in batches
 *                    by every node, so the margin absorbs what is not flushed yet; at most 2^32)
 */
public record RotationPolicy(Duration maxAge, long maxMessages) {

    /** Default maximum CDK age. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);
    /** Smallest allowed maximum age. */
    public static final Duration MIN_MAX_AGE = Duration.ofDays(30);
    /** Largest allowed maximum age. */
    public static final Duration MAX_MAX_AGE = Duration.ofDays(365);
    /** Largest allowed number of encryptions under one CDK: NIST SP 800-38D's bound for random 96-bit IVs. */
    public static final long MAX_MAX_MESSAGES = 1L << 32;
    /** Default number of encryptions under one CDK: half the bound, as a margin for unflushed counts. */
    public static final long DEFAULT_MAX_MESSAGES = 1L << 31;

    public RotationPolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.compareTo(MIN_MAX_AGE) < 0 || maxAge.compareTo(MAX_MAX_AGE) > 0) {
            throw new IllegalArgumentException("rotation max age must be 30 to 365 days, got " + maxAge.toDays() + " days");
        }
        if (maxMessages < 1 || maxMessages > MAX_MAX_MESSAGES) {
            throw new IllegalArgumentException("rotation max messages must be 1 to 2^32, got " + maxMessages);
        }
    }

    /** 90 days, 2^31 messages. */
    public static RotationPolicy defaults() {
        return new RotationPolicy(DEFAULT_MAX_AGE, DEFAULT_MAX_MESSAGES);
    }
}
