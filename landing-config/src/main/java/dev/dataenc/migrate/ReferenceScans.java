package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The reference scans recorded by migrations. A DECRYPT_ONLY CDK may be retired when the latest completed
 * scan of every source, started after the CDK stopped being ACTIVE, shows no value under it, and a source
 * that held its values ({@link #holders}) accounts for the values its usage counters record. Migrations of a
 * source that was forgotten ({@link ForgottenSources}) before they started are left out of both.
 */
public final class ReferenceScans {

    private final RegistryDatabase db;

    public ReferenceScans(RegistryDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** For each source that has a completed migration not forgotten, the scan of its most recently completed one. */
    public List<ReferenceScan> latestPerSource() {
        return db.read("read the reference scans", c -> {
            Map<String, Instant> forgotten = ForgottenSources.forgottenAt(c);
            Map<String, String[]> latest = new LinkedHashMap<>();
            Map<String, OffsetDateTime[]> times = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, source, target_cdk_id, started_at, completed_at,"
                    + " ref_plaintext FROM dataenc_migration WHERE status = 'COMPLETED' ORDER BY completed_at DESC, id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(2);
                    OffsetDateTime started = rs.getObject(4, OffsetDateTime.class);
                    if (!latest.containsKey(source) && counts(forgotten, source, started)) {
                        latest.put(source, new String[] {rs.getString(1), rs.getString(3), Long.toString(rs.getLong(6))});
                        times.put(source, new OffsetDateTime[] {started, rs.getObject(5, OffsetDateTime.class)});
                    }
                }
            }
            List<ReferenceScan> scans = new ArrayList<>();
            for (Map.Entry<String, String[]> e : latest.entrySet()) {
                Map<CdkId, Long> refs = new HashMap<>();
                try (PreparedStatement s = c.prepareStatement("SELECT cdk_id, value_count FROM dataenc_migration_refs"
                        + " WHERE migration_id = ?")) {
                    s.setString(1, e.getValue()[0]);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            refs.put(CdkId.parse(rs.getString(1)), rs.getLong(2));
                        }
                    }
                }
                OffsetDateTime[] t = times.get(e.getKey());
                scans.add(new ReferenceScan(e.getKey(), CdkId.parse(e.getValue()[1]), t[0].toInstant(), t[1].toInstant(),
                        refs, Long.parseLong(e.getValue()[2])));
            }
            return scans;
        });
    }

    /**
     * The sources (not forgotten) a migration ever found holding values under {@code cdk}, when it was planned
     * or when it completed, each with the most values seen there at once. Only these can hold that CDK's data as
     * far as any scan knows; an unrelated or empty table never appears here.
     */
    public Map<String, Long> holders(CdkId cdk) {
        return db.read("read which sources held values under CDK " + cdk, c -> {
            Map<String, Instant> forgotten = ForgottenSources.forgottenAt(c);
            Map<String, Long> held = new TreeMap<>();
            for (String table : List.of("dataenc_migration_prescan", "dataenc_migration_refs")) {
                collect(c, table, cdk, forgotten, held);
            }
            return held;
        });
    }

    /**
     * As {@link #holders}, counting BLOB-format ciphertexts only: the BLOB sources of {@code cdk} (binary columns or
     * blob stores a migration found holding its BLOBs), each with the most BLOBs seen there at once.
     */
    public Map<String, Long> blobHolders(CdkId cdk) {
        return db.read("read which sources held BLOBs under CDK " + cdk, c -> {
            Map<String, Instant> forgotten = ForgottenSources.forgottenAt(c);
            Map<String, Long> held = new TreeMap<>();
            for (String table : List.of("dataenc_migration_prescan", "dataenc_migration_refs")) {
                collect(c, table, "blob_count", cdk, forgotten, held);
            }
            return held;
        });
    }

    private static void collect(Connection c, String table, CdkId cdk, Map<String, Instant> forgotten,
                                Map<String, Long> held) throws SQLException {
        collect(c, table, "value_count", cdk, forgotten, held);
    }

    private static void collect(Connection c, String table, String count, CdkId cdk, Map<String, Instant> forgotten,
                                Map<String, Long> held) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT m.source, m.started_at, p." + count + " FROM " + table + " p"
                + " JOIN dataenc_migration m ON m.id = p.migration_id WHERE p.cdk_id = ? AND p." + count + " > 0")) {
            s.setString(1, cdk.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (counts(forgotten, rs.getString(1), rs.getObject(2, OffsetDateTime.class))) {
                        held.merge(rs.getString(1), rs.getLong(3), Math::max);
                    }
                }
            }
        }
    }

    /** Whether a migration of {@code source} started at {@code started} still counts (started after any forget). */
    private static boolean counts(Map<String, Instant> forgotten, String source, OffsetDateTime started) {
        Instant at = forgotten.get(source);
        return at == null || started.toInstant().isAfter(at);
    }

    @Override
    public String toString() {
        return "ReferenceScans[" + db.displayUrl() + "]";
    }
}
