package dev.dataenc.control.cluster;

import dev.dataenc.envelope.CacheStats;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The nodes in the registry (table {@code dataenc_node}). Times are the database's clock
 * ({@code CURRENT_TIMESTAMP}), so staleness does not depend on the nodes' clocks agreeing.
 */
public final class NodeStore {

    private static final int MAX_TEXT = 4000;
    private static final String COLUMNS = "id, host, pid, tool, version, started_at, last_seen, heartbeat_millis,"
            + " file_active_keystore, drift, keystores, last_refusal, cache_hits, cache_misses, cache_keystore_calls,"
            + " cache_evictions, cache_entries, unflushed_usage, CURRENT_TIMESTAMP";

    private final RegistryDatabase db;

    public NodeStore(RegistryDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Records a heartbeat of {@code node}: inserts its row on the first one, updates it after. */
    public void heartbeat(NodeIdentity node, Duration every, NodeReport report) {
        db.write("record the heartbeat of node " + node.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_node SET last_seen = CURRENT_TIMESTAMP,"
                    + " heartbeat_millis = ?, file_active_keystore = ?, drift = ?, keystores = ?, last_refusal = ?,"
                    + " cache_hits = ?, cache_misses = ?, cache_keystore_calls = ?, cache_evictions = ?,"
                    + " cache_entries = ?, unflushed_usage = ? WHERE id = ?")) {
                int i = bindReport(s, 1, every, report);
                s.setString(i, node.id());
                if (s.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_node (heartbeat_millis,"
                    + " file_active_keystore, drift, keystores, last_refusal, cache_hits, cache_misses,"
                    + " cache_keystore_calls, cache_evictions, cache_entries, unflushed_usage, id, host, pid, tool, version,"
                    + " started_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                int i = bindReport(s, 1, every, report);
                s.setString(i++, node.id());
                s.setString(i++, cut(node.host(), 255));
                s.setLong(i++, node.pid());
                s.setString(i++, cut(node.tool(), 200));
                s.setString(i, cut(node.version(), 64));
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes a node's row (on its clean close). */
    public void remove(String nodeId) {
        db.write("remove node " + nodeId, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM dataenc_node WHERE id = ?")) {
                s.setString(1, nodeId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Deletes the rows of nodes not seen for longer than {@code expiry}.
     *
     * @return how many were deleted
     */
    public int expire(Duration expiry) {
        List<String> old = new ArrayList<>();
        for (ClusterNode n : list()) {
            if (n.silence().compareTo(expiry) > 0) {
                old.add(n.identity().id());
            }
        }
        old.forEach(this::remove);
        return old.size();
    }

    /** Every recorded node, oldest start first. */
    public List<ClusterNode> list() {
        return db.read("read the cluster nodes", c -> {
            List<ClusterNode> nodes = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM dataenc_node ORDER BY started_at, id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    nodes.add(read(rs));
                }
            }
            return nodes;
        });
    }

    private static ClusterNode read(ResultSet rs) throws SQLException {
        NodeIdentity id = new NodeIdentity(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                rs.getString(5));
        OffsetDateTime started = rs.getObject(6, OffsetDateTime.class);
        OffsetDateTime seen = rs.getObject(7, OffsetDateTime.class);
        OffsetDateTime now = rs.getObject(19, OffsetDateTime.class);
        NodeReport report = new NodeReport(rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                new CacheStats(rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getInt(17)),
                rs.getLong(18));
        Duration silence = Duration.between(seen.toInstant(), now.toInstant());
        return new ClusterNode(id, started.toInstant(), seen.toInstant(), Duration.ofMillis(rs.getLong(8)),
                silence.isNegative() ? Duration.ZERO : silence, report);
    }

    private static int bindReport(PreparedStatement s, int i, Duration every, NodeReport r) throws SQLException {
        s.setLong(i++, every.toMillis());
        s.setString(i++, cut(r.fileActiveKeystore(), 200));
        s.setString(i++, r.drift() == null ? null : cut(r.drift(), 2000));
        s.setString(i++, cut(r.keystores(), MAX_TEXT));
        s.setString(i++, r.lastRefusal() == null ? null : cut(r.lastRefusal(), MAX_TEXT));
        s.setLong(i++, r.cache().hits());
        s.setLong(i++, r.cache().misses());
        s.setLong(i++, r.cache().keystoreCalls());
        s.setLong(i++, r.cache().evictions());
        s.setInt(i++, r.cache().entries());
        s.setLong(i++, r.unflushedUsage());
        return i;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    @Override
    public String toString() {
        return "NodeStore[" + db.displayUrl() + "]";
    }

}
