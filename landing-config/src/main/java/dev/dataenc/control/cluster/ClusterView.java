package dev.dataenc.control.cluster;

import dev.dataenc.registry.RegistryDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster section of {@code dataenc status}: every node recorded in the registry, live or stale (missed
 * {@code staleHeartbeats} heartbeats), with its drift, keystores, last refusal, cache counters and unflushed usage.
 */
public final class ClusterView {

    private final List<ClusterNode> nodes;
    private final int staleHeartbeats;

    private ClusterView(List<ClusterNode> nodes, int staleHeartbeats) {
        this.nodes = List.copyOf(nodes);
        this.staleHeartbeats = staleHeartbeats;
    }

    /** Reads the nodes now. */
    public static ClusterView read(RegistryDatabase db, int staleHeartbeats) {
        return new ClusterView(new NodeStore(Objects.requireNonNull(db, "db")).list(), staleHeartbeats);
    }

    /** Every node, oldest start first. */
    public List<ClusterNode> nodes() {
        return nodes;
    }

    /** The nodes that heartbeat in time. */
    public List<ClusterNode> live() {
        return nodes.stream().filter(n -> !n.stale(staleHeartbeats)).toList();
    }

    /** The nodes that missed {@code staleHeartbeats} heartbeats. */
    public List<ClusterNode> stale() {
        return nodes.stream().filter(n -> n.stale(staleHeartbeats)).toList();
    }

    /** The nodes whose file differs from the registry. */
    public List<ClusterNode> drifting() {
        return nodes.stream().filter(n -> n.report().drift() != null).toList();
    }

    /** The lines {@code dataenc status} prints. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("nodes:            " + live().size() + " live, " + stale().size() + " stale (stale: no heartbeat for "
                + staleHeartbeats + " heartbeat intervals)" + (drifting().isEmpty() ? "" : ", " + drifting().size()
                + " with DRIFT"));
        for (ClusterNode n : nodes) {
            NodeReport r = n.report();
            boolean stale = n.stale(staleHeartbeats);
            out.add("  " + (stale ? "STALE " : "live  ") + n.identity().summary() + ", dataenc " + n.identity().version()
                    + ", started " + n.startedAt() + ", last seen " + seconds(n.silence()) + " ago (heartbeat every "
                    + seconds(n.heartbeat()) + ")");
            out.add("      file names active keystore '" + r.fileActiveKeystore() + "'"
                    + (r.drift() == null ? "" : "   DRIFT: " + r.drift() + " (the node follows the registry)"));
            for (String ks : r.keystores().split("\n")) {
                out.add("      keystore " + ks);
            }
            out.add("      cache: " + r.cache().hits() + " hits, " + r.cache().misses() + " misses, "
                    + r.cache().keystoreCalls() + " keystore calls, " + r.cache().evictions() + " evictions, "
                    + r.cache().entries() + " entries; " + r.unflushedUsage() + " encryptions not yet recorded");
            if (r.lastRefusal() != null) {
                out.add("      last refusal: " + r.lastRefusal());
            }
        }
        return out;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0) : d.toSeconds() + "s";
    }
}
