package dev.dataenc.envelope;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and policy of a {@link CdkCache} ({@link CdkCache.Builder#limits} applies all four).
 *
 * @param maxAge         how long an unwrapped CDK is kept after it was loaded (default 5 minutes)
 * @param maxEntries     how many unwrapped CDKs are kept at most; the oldest-loaded is evicted first (default 1000)
 * @param activeRefresh  how often the id of the ACTIVE CDK is re-read from the registry (default 10 seconds)
 * @param legacyCdks     what to do with a CDK that has no key check value (default {@link LegacyCdkPolicy#WARN})
 */
public record CacheLimits(Duration maxAge, int maxEntries, Duration activeRefresh, LegacyCdkPolicy legacyCdks) {

    /** Default maximum age of a cached CDK. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    /** Default maximum number of cached CDKs. */
    public static final int DEFAULT_MAX_ENTRIES = 1000;
    /** Default interval for re-reading the ACTIVE CDK id. */
    public static final Duration DEFAULT_ACTIVE_REFRESH = Duration.ofSeconds(10);

    /**
     * @throws IllegalArgumentException if a duration is not positive or {@code maxEntries < 1}
     */
    public CacheLimits {
        Objects.requireNonNull(legacyCdks, "legacyCdks");
        requirePositive(maxAge, "maxAge");
        requirePositive(activeRefresh, "activeRefresh");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("CacheLimits.maxEntries must be at least 1, got " + maxEntries);
        }
    }

    /**
     * Limits with the default policy for legacy CDKs ({@link LegacyCdkPolicy#WARN}).
     *
     * @throws IllegalArgumentException if a duration is not positive or {@code maxEntries < 1}
     */
    public CacheLimits(Duration maxAge, int maxEntries, Duration activeRefresh) {
        this(maxAge, maxEntries, activeRefresh, LegacyCdkPolicy.WARN);
    }

    /** 5 minutes, 1000 entries, ACTIVE id re-read every 10 seconds, legacy CDKs used with a warning. */
    public static CacheLimits defaults() {
        return new CacheLimits(DEFAULT_MAX_AGE, DEFAULT_MAX_ENTRIES, DEFAULT_ACTIVE_REFRESH);
    }

    /** These limits with another maximum age. */
    public CacheLimits withMaxAge(Duration newMaxAge) {
        return new CacheLimits(newMaxAge, maxEntries, activeRefresh, legacyCdks);
    }

    /** These limits with another maximum number of entries. */
    public CacheLimits withMaxEntries(int newMaxEntries) {
        return new CacheLimits(maxAge, newMaxEntries, activeRefresh, legacyCdks);
    }

    /** These limits with another ACTIVE refresh interval. */
    public CacheLimits withActiveRefresh(Duration newActiveRefresh) {
        return new CacheLimits(maxAge, maxEntries, newActiveRefresh, legacyCdks);
    }

    /** These limits with another policy for CDKs without a check value. */
    public CacheLimits withLegacyCdks(LegacyCdkPolicy policy) {
        return new CacheLimits(maxAge, maxEntries, activeRefresh, policy);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("CacheLimits." + name + " must be positive, got " + d);
        }
    }
}
