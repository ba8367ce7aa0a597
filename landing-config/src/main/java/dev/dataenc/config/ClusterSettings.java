package dev.dataenc.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How this node takes part in a cluster sharing one registry.
 *
 * @param switchOnFileChange whether a configuration file naming another active keystore than the registry's starts the
 *                           guarded keystore switch (false by default: the registry decides, the file is drift)
 * @param staleHeartbeats    after how many missed heartbeats a node shows as stale in {@code dataenc status}
 * @param nodeExpiry         after how long without a heartbeat a stale node's row is deleted (by any live node)
 */
public record ClusterSettings(boolean switchOnFileChange, int staleHeartbeats, Duration nodeExpiry) {

    /** Default number of missed heartbeats after which a node is stale. */
    public static final int DEFAULT_STALE_HEARTBEATS = 3;
    /** Default time without a heartbeat after which a node's row is deleted. */
    public static final Duration DEFAULT_NODE_EXPIRY = Duration.ofDays(1);

    public ClusterSettings {
        Objects.requireNonNull(nodeExpiry, "nodeExpiry");
        if (staleHeartbeats < 1) {
            throw new IllegalArgumentException("stale heartbeats must be at least 1, got " + staleHeartbeats);
        }
        if (nodeExpiry.isNegative() || nodeExpiry.isZero()) {
            throw new IllegalArgumentException("node expiry must be positive, got " + nodeExpiry);
        }
    }

    /** File changes never switch; stale after 3 missed heartbeats; rows deleted after a day. */
    public static ClusterSettings defaults() {
        return new ClusterSettings(false, DEFAULT_STALE_HEARTBEATS, DEFAULT_NODE_EXPIRY);
    }

    /** These settings with switching on file change turned on or off. */
    public ClusterSettings withSwitchOnFileChange(boolean on) {
        return new ClusterSettings(on, staleHeartbeats, nodeExpiry);
    }
}
