package dev.dataenc.registry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Whether a registry's schema is already at the newest bundled version, so that opening it need not start
 * Flyway (whose set-up, class-path scan and validation are a large part of a start). It answers yes only when
 * the schema history holds exactly the bundled migrations ({@link BundledMigrations#ALL}), in order, each
 * applied successfully with the same version, description, file name and checksum, besides Flyway's own
 * bookkeeping rows (the history table's creation, a baseline at version 0), and when the index is known to
 * name every bundled file ({@link BundledMigrations#indexComplete()}). Anything else, a missing table, an
 * older, newer, failed, unknown or altered row, or any SQL error, answers no: Flyway then migrates and
 * validates as always.
 *
 * <p>The history is read in one statement. Flyway writes a migration's history row after the migration
 * itself (on PostgreSQL in the same transaction), so a complete history means a complete schema even while
 * another node starts at the same time.
 */
final class SchemaHistoryCheck {

    private static final String QUERY = "SELECT \"version\", \"description\", \"type\", \"script\", \"checksum\","
            + " \"success\" FROM \"dataenc_schema_history\" ORDER BY \"installed_rank\"";

    private SchemaHistoryCheck() {
    }

    /** Whether {@code ds}'s schema history shows every bundled migration applied and nothing else (see above). */
    static boolean isCurrent(DataSource ds) {
        if (!BundledMigrations.indexComplete()) {
            return false;
        }
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit(); // an application's pool gets its connection back as it was
            if (!autoCommit) {
                c.setAutoCommit(true);
            }
            try {
                return isCurrent(c);
            } finally {
                if (!autoCommit) {
                    c.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            return false; // no history table yet, or not readable: Flyway decides
        }
    }

    private static boolean isCurrent(Connection c) throws SQLException {
        List<BundledMigration> bundled = BundledMigrations.ALL;
        int applied = 0;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(QUERY)) {
            while (r.next()) {
                String version = r.getString(1);
                String type = r.getString(3);
                int checksum = r.getInt(5);
                boolean noChecksum = r.wasNull();
                if (!r.getBoolean(6)) {
                    return false;
                }
                if (version == null && "TABLE".equals(type)) {
                    continue; // Flyway's note that it created the history table
                }
                if ("0".equals(version) && "BASELINE".equals(type) && applied == 0) {
                    continue; // baselineOnMigrate on a database that had other tables
                }
                if (!"SQL".equals(type) || version == null || noChecksum) {
                    return false;
                }
                if (applied == bundled.size() || !bundled.get(applied).is(version, r.getString(2), r.getString(4), checksum)) {
                    return false;
                }
                applied++;
            }
        }
        return applied == bundled.size();
    }
}
