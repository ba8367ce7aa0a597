package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.registry.RegistryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-CDK encryption counters in the registry (table {@code dataenc_cdk_usage}). Nodes add their
 * counts in batches; the sums say what data each CDK protects.
 */
public final class CdkUsageStore {

    /** What was encrypted. */
    public enum Kind { PROPERTY, BLOB }

    private final RegistryDatabase db;

    public CdkUsageStore(RegistryDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Adds {@code count} encryptions of {@code kind} to a CDK's counter (atomic, safe across nodes). */
    public void add(CdkId id, Kind kind, long count) {
        if (count <= 0) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(true);
                try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk_usage SET encryptions = encryptions + ?"
                        + " WHERE cdk_id = ? AND kind = ?")) {
                    s.setLong(1, count);
                    s.setString(2, id.toString());
                    s.setString(3, kind.name());
                    if (s.executeUpdate() == 1) {
                        return;
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_cdk_usage (cdk_id, kind, encryptions)"
                        + " VALUES (?, ?, ?)")) {
                    s.setString(1, id.toString());
                    s.setString(2, kind.name());
                    s.setLong(3, count);
                    s.executeUpdate();
                    return;
                }
            } catch (SQLException e) {
                boolean raced = e.getSQLState() != null && e.getSQLState().startsWith("23");
                if (!raced || attempt >= 3) {
                    throw new RegistryException("CDK registry at " + db.displayUrl() + ": cannot add usage of CDK " + id
                            + ": " + e.getMessage(), e);
                }
                // another node inserted the row first: add to it
            }
        }
    }

    /** The total encryptions (property values and BLOBs) recorded for one CDK, 0 if none. */
    public long total(CdkId id) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(encryptions), 0) FROM dataenc_cdk_usage"
                     + " WHERE cdk_id = ?")) {
            s.setString(1, id.toString());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new RegistryException("CDK registry at " + db.displayUrl() + ": cannot read the usage of CDK " + id
                    + ": " + e.getMessage(), e);
        }
    }

    /** The counters of every CDK that has any. */
    public Map<CdkId, CdkUsage> all() {
        Map<CdkId, long[]> sums = new HashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT cdk_id, kind, encryptions FROM dataenc_cdk_usage");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long[] v = sums.computeIfAbsent(CdkId.parse(rs.getString(1)), k -> new long[2]);
                v[Kind.valueOf(rs.getString(2)).ordinal()] += rs.getLong(3);
            }
        } catch (SQLException e) {
            throw new RegistryException("CDK registry at " + db.displayUrl() + ": cannot read CDK usage: " + e.getMessage(), e);
        }
        Map<CdkId, CdkUsage> result = new HashMap<>();
        sums.forEach((id, v) -> result.put(id, new CdkUsage(v[0], v[1])));
        return result;
    }
}
