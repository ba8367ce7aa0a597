package dev.dataenc.control.cluster;

import dev.dataenc.envelope.CacheStats;

import java.util.Objects;

/**
 * What a node reports on each heartbeat, as it sees things. Counts and states only, never key material.
 *
 * @param fileActiveKeystore the active keystore this node's configuration file names
 * @param drift              how the file differs from the registry's data-encryption state, or {@code null}
 * @param keystores          the keystores it has and their master key state, one {@code name (type): state} per line
 * @param lastRefusal        why its last configuration change or switch was refused, or {@code null}
 * @param cache              its CDK cache counters
 * @param unflushedUsage     encryptions it counted but has not added to the registry yet
 */
public record NodeReport(String fileActiveKeystore, String drift, String keystores, String lastRefusal, CacheStats cache,
                         long unflushedUsage) {

    public NodeReport {
        Objects.requireNonNull(fileActiveKeystore, "fileActiveKeystore");
        Objects.requireNonNull(keystores, "keystores");
        Objects.requireNonNull(cache, "cache");
    }
}
