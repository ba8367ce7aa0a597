package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference scans recorded by completed migrations. A DECRYPT_ONLY CDK may be retired when the
 * latest completed scan of every source, started after the CDK stopped being ACTIVE, shows no value
 * under it.
 */
public final class ReferenceScans {

    private final RegistryDatabase db;

    public ReferenceScans(RegistryDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** For each source that has a completed migration, the scan of its most recently completed one. */
    public List<ReferenceScan> latestPerSource() {
        return db.read("read the reference scans", c -> {
            Map<String, String[]> latest = new LinkedHashMap<>();
            Map<String, OffsetDateTime[]> times = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, source, target_cdk_id, started_at, completed_at,"
                    + " ref_plaintext FROM dataenc_migration WHERE status = 'COMPLETED' ORDER BY completed_at DESC, id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(2);
                    if (!latest.containsKey(source)) {
                        latest.put(source, new String[] {rs.getString(1), rs.getString(3), Long.toString(rs.getLong(6))});
                        times.put(source, new OffsetDateTime[] {rs.getObject(4, OffsetDateTime.class),
                            rs.getObject(5, OffsetDateTime.class)});
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

    @Override
    public String toString() {
        return "ReferenceScans[" + db.displayUrl() + "]";
    }
}
