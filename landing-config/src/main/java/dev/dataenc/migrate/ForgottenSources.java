package dev.dataenc.migrate;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Migration sources an admin declared mistaken ({@code dataenc migrate forget --table T [--column C]}): the
 * migrations of such a source up to the moment it was forgotten are no evidence for or against retiring a CDK
 * (table {@code dataenc_forgotten_source}). A later migration of the same source counts again. Forgetting is
 * audited ({@link AuditAction#MIGRATION_SOURCE_FORGOTTEN}) in the same transaction.
 *
 * <p>Sources are named {@code [catalog.]schema.table(key): column[context], ...} ({@link JdbcRecordSource}); a
 * source matches {@code --table T} when the last segment(s) of its table part equal {@code T} (any letter case,
 * with or without schema), and {@code --column C} when one of its columns is {@code C}.
 */
public final class ForgottenSources {

    private final RegistryDatabase db;
    private final Clock clock;

    public ForgottenSources(RegistryDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every source some migration ran on, sorted. */
    public List<String> known() {
        return db.read("list the migrated sources", c -> {
            TreeSet<String> names = new TreeSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT source FROM dataenc_migration");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return new ArrayList<>(names);
        });
    }

    /**
     * Forgets every source matching {@code table} (and {@code column}, if given).
     *
     * @return the sources forgotten
     * @throws MigrationException if none matches (listing the known ones), or one has an unfinished migration
     *                            (nothing changes)
     */
    public List<String> forget(String table, String column, String reason, String actor) {
        List<String> matched = known().stream().filter(n -> matches(n, table, column)).toList();
        if (matched.isEmpty()) {
            throw new MigrationException("no migrated source matches --table " + table + (column == null ? ""
                    : " --column " + column) + "; migrated sources: " + (known().isEmpty() ? "none" : known()));
        }
        MigrationStore jobs = new MigrationStore(db);
        for (String source : matched) {
            jobs.running(source).ifPresent(j -> {
                throw new MigrationException("source " + source + " has an unfinished " + j.summary() + "; finish it"
                        + " (run the same 'dataenc migrate' again) before forgetting the source");
            });
        }
        Instant now = clock.instant();
        String why = reason == null || reason.isBlank() ? "(no reason given)" : reason.strip();
        db.write("forget migration sources", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_forgotten_source (source, forgotten_at,"
                    + " forgotten_by, reason) VALUES (?, ?, ?, ?)")) {
                for (String source : matched) {
                    s.setString(1, source);
                    s.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    s.setString(3, actor);
                    s.setString(4, why.length() > 2000 ? why.substring(0, 2000) : why);
                    s.addBatch();
                }
                s.executeBatch();
            }
            for (String source : matched) {
                JdbcAuditTrail.insert(c, actor, AuditAction.MIGRATION_SOURCE_FORGOTTEN, null, null, "source " + source
                        + ": its migrations so far are no evidence for retiring CDKs any more; reason: " + why);
            }
            return null;
        });
        return matched;
    }

    /** When each forgotten source was last forgotten. */
    static Map<String, Instant> forgottenAt(Connection c) throws SQLException {
        Map<String, Instant> at = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT source, MAX(forgotten_at) FROM dataenc_forgotten_source"
                + " GROUP BY source");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                at.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return at;
    }

    /** Whether source {@code name} is a migration of {@code table} (and includes {@code column}, if given). */
    static boolean matches(String name, String table, String column) {
        int paren = name.indexOf('(');
        String tablePart = (paren < 0 ? name : name.substring(0, paren)).toLowerCase(Locale.ROOT);
        String wanted = table.trim().toLowerCase(Locale.ROOT);
        if (!(tablePart.equals(wanted) || tablePart.endsWith("." + wanted))) {
            return false;
        }
        if (column == null) {
            return true;
        }
        int colon = name.indexOf("): ");
        if (colon < 0) {
            return false;
        }
        for (String col : name.substring(colon + 3).split(", ")) {
            int bracket = col.indexOf('[');
            String colName = bracket < 0 ? col : col.substring(0, bracket);
            if (colName.trim().equalsIgnoreCase(column.trim())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ForgottenSources[" + db.displayUrl() + "]";
    }
}
