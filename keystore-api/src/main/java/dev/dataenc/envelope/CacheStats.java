package dev.dataenc.envelope;

/**
 * A snapshot of a {@link CdkCache}'s counters since it was created.
 *
 * @param hits          key requests served from the cache
 * @param misses        key requests that had to wait for a load (their own or another thread's)
 * @param keystoreCalls unwrap attempts made to keystores
 * @param evictions     cached keys removed and destroyed (age, size, {@code evictAll}, close)
 * @param entries       keys cached now
 */
public record CacheStats(long hits, long misses, long keystoreCalls, long evictions, int entries) {
}
