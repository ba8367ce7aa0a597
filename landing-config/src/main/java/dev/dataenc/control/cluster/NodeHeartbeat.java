package dev.dataenc.control.cluster;

import dev.dataenc.config.ClusterSettings;
import dev.dataenc.registry.RegistryDatabase;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's membership in the cluster view: registers on start, heartbeats with a fresh
 * {@link NodeReport}, deletes the rows of nodes silent for longer than the expiry, and removes its own row on a
 * clean close. A failed heartbeat is logged and retried at the next one; it never stops the node.
 */
public final class NodeHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final NodeStore store;
    private final NodeIdentity identity;
    private final Duration every;
    private final Supplier<ClusterSettings> settings;
    private final Supplier<NodeReport> report;
    private boolean left;

    /**
     * @param every    how often {@link #beat()} is called
     * @param settings the cluster settings in force (re-read on each beat: a reload may change them)
     * @param report   what to report, asked on each beat
     */
    public NodeHeartbeat(RegistryDatabase db, NodeIdentity identity, Duration every, Supplier<ClusterSettings> settings,
                         Supplier<NodeReport> report) {
        this.store = new NodeStore(db);
        this.identity = Objects.requireNonNull(identity, "identity");
        this.every = Objects.requireNonNull(every, "every");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.report = Objects.requireNonNull(report, "report");
    }

    /** Who this node is. */
    public NodeIdentity identity() {
        return identity;
    }

    /** Records a heartbeat now and expires long-silent nodes; nothing after {@link #leave()}. */
    public synchronized void beat() {
        if (left) {
            return; // a beat racing the close must not bring the row back
        }
        store.heartbeat(identity, every, report.get());
        int expired = store.expire(settings.get().nodeExpiry());
        if (expired > 0) {
            LOG.info("removed {} node(s) silent for more than {} from the cluster view", expired, settings.get().nodeExpiry());
        }
    }

    /** {@link #beat()}, logging instead of throwing. */
    public void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("cannot record this node's heartbeat in the registry yet (will retry): {}", e.getMessage());
        }
    }

    /** Removes this node's row (clean close); logs instead of throwing. */
    public synchronized void leave() {
        left = true;
        try {
            store.remove(identity.id());
        } catch (RuntimeException e) {
            LOG.warn("cannot remove this node from the cluster view (it will expire): {}", e.getMessage());
        }
    }
}
