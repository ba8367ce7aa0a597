package dev.dataenc.report;

import dev.dataenc.envelope.CacheStats;

/**
 * This process's CDK cache counters (for the CLI: the command's own process).
 *
 * @param hits          key requests served from the cache
 * @param misses        key requests that had to load
 * @param keystoreCalls unwrap calls made to keystores
 * @param evictions     keys evicted and destroyed
 * @param entries       keys cached now
 */
public record CacheInfo(long hits, long misses, long keystoreCalls, long evictions, int entries) {

    /** The JSON view of {@code s}. */
    public static CacheInfo of(CacheStats s) {
        return new CacheInfo(s.hits(), s.misses(), s.keystoreCalls(), s.evictions(), s.entries());
    }
}
