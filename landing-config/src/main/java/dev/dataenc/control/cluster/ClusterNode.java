package dev.dataenc.control.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One node as recorded in the registry (table {@code dataenc_node}).
 *
 * @param identity  who it is
 * @param startedAt when it registered (database clock)
 * @param lastSeen  its last heartbeat (database clock)
 * @param heartbeat how often it heartbeats
 * @param silence   how long since its last heartbeat, measured on the database clock when read
 * @param report    what it reported last
 */
public record ClusterNode(NodeIdentity identity, Instant startedAt, Instant lastSeen, Duration heartbeat,
                         Duration silence, NodeReport report) {

    public ClusterNode {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(report, "report");
    }

    /** True if it missed at least {@code staleHeartbeats} heartbeats. */
    public boolean stale(int staleHeartbeats) {
        return silence.compareTo(heartbeat.multipliedBy(staleHeartbeats)) > 0;
    }
}
