package dev.dataenc.audit;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.registry.RegistryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuditTrail} in the registry database (table {@code dataenc_audit}). Only ever inserts.
 * Each event is also logged at INFO (refusals at WARN) under {@code dev.dataenc.audit}.
 */
public final class JdbcAuditTrail implements AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger("dev.dataenc.audit");
    private static final int MAX_DETAIL = 4000;

    private final RegistryDatabase db;
    private final String actor;

    /** A trail in {@code db} whose events are attributed to {@code actor} (see {@link Actor}). */
    public JdbcAuditTrail(RegistryDatabase db, String actor) {
        this.db = Objects.requireNonNull(db, "db");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    @Override
    public void record(AuditAction action, CdkId cdkId, String keystore, String detail) {
        String text = detail == null ? "" : detail;
        if (text.length() > MAX_DETAIL) {
            text = text.substring(0, MAX_DETAIL - 3) + "...";
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_audit (at, actor, action, cdk_id, keystore, detail)"
                     + " VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            s.setString(2, actor);
            s.setString(3, action.name());
            s.setString(4, cdkId == null ? null : cdkId.toString());
            s.setString(5, keystore);
            s.setString(6, text);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryException("CDK registry at " + db.displayUrl() + ": cannot append to the audit trail: "
                    + e.getMessage(), e);
        }
        String line = action + (keystore == null ? "" : " keystore=" + keystore) + (cdkId == null ? "" : " cdk=" + cdkId)
                + (text.isEmpty() ? "" : " " + text);
        if (action == AuditAction.SWITCH_REFUSED || action == AuditAction.CONFIG_REFUSED) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        List<AuditEvent> events = query("SELECT seq, at, actor, action, cdk_id, keystore, detail FROM dataenc_audit"
                + " ORDER BY seq DESC", null, limit);
        Collections.reverse(events);
        return events;
    }

    @Override
    public List<AuditEvent> byAction(AuditAction action) {
        return query("SELECT seq, at, actor, action, cdk_id, keystore, detail FROM dataenc_audit WHERE action = ?"
                + " ORDER BY seq", action.name(), Integer.MAX_VALUE);
    }

    private List<AuditEvent> query(String sql, String param, int limit) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            if (param != null) {
                s.setString(1, param);
            }
            s.setMaxRows(Math.max(0, limit == Integer.MAX_VALUE ? 0 : limit));
            List<AuditEvent> result = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String cdk = rs.getString(5);
                    result.add(new AuditEvent(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getString(3), AuditAction.valueOf(rs.getString(4)), cdk == null ? null : CdkId.parse(cdk),
                            rs.getString(6), rs.getString(7)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new RegistryException("CDK registry at " + db.displayUrl() + ": cannot read the audit trail: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JdbcAuditTrail[" + db.displayUrl() + "]";
    }

    /**
     * Appends an event inside the caller's transaction, so that a change and its audit entry commit (or roll
     * back) together. Logged like {@link #record} once written (the caller's commit may still fail).
     *
     * @param c the connection of the caller's transaction
     */
    public static void insert(Connection c, String actor, AuditAction action, CdkId cdkId, String keystore,
                              String detail) throws SQLException {
        String text = detail == null ? "" : detail;
        if (text.length() > MAX_DETAIL) {
            text = text.substring(0, MAX_DETAIL - 3) + "...";
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_audit (at, actor, action, cdk_id, keystore,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            s.setString(2, Objects.requireNonNull(actor, "actor"));
            s.setString(3, action.name());
            s.setString(4, cdkId == null ? null : cdkId.toString());
            s.setString(5, keystore);
            s.setString(6, text);
            s.executeUpdate();
        }
        LOG.info("{}{} {}", action, cdkId == null ? "" : " cdk=" + cdkId, text);
    }
}
