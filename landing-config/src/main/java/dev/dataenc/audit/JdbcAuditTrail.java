package dev.dataenc.audit;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.registry.RegistryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuditTrail} in the registry database (table {@code dataenc_audit}). Only ever inserts.
 * Entries form one hash chain ({@link AuditChain}) across every process: an append locks the chain's
 * head row ({@code dataenc_audit_head}, {@code SELECT ... FOR UPDATE}) until its transaction ends, so
 * appends are serialised on PostgreSQL and H2 alike. {@link #verify()} checks the chain.
 * Each event is also logged at INFO (refusals at WARN) under {@code dev.dataenc.audit}, with control
 * characters escaped and the entry's chain hash.
 */
public final class JdbcAuditTrail implements AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger("dev.dataenc.audit");
    private static final int MAX_DETAIL = 4000;
    private static final String COLUMNS = "seq, at, actor, action, cdk_id, keystore, detail";

    private final RegistryDatabase db;
    private final String actor;
    private final Runnable afterHeadLocked;

    /** A trail in {@code db} whose events are attributed to {@code actor} (see {@link Actor}). */
    public JdbcAuditTrail(RegistryDatabase db, String actor) {
        this(db, actor, () -> { });
    }

    /** As above, with a pause point run while an append holds the chain head (tests use it to race appends). */
    JdbcAuditTrail(RegistryDatabase db, String actor, Runnable afterHeadLocked) {
        this.db = Objects.requireNonNull(db, "db");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.afterHeadLocked = Objects.requireNonNull(afterHeadLocked, "afterHeadLocked");
    }

    /** Appends in a transaction of its own. */
    @Override
    public void record(AuditAction action, CdkId cdkId, String keystore, String detail) {
        db.write("append to the audit trail", c -> {
            append(c, action, cdkId, keystore, detail);
            return null;
        });
    }

    /**
     * Appends an event inside the caller's transaction, so that the change it records and its entry
     * commit (or roll back) together. Locks the chain head until that transaction ends: call it as the
     * last statement before {@code commit()}, to hold the lock briefly and always take locks in the same
     * order. Does not commit, roll back or close {@code c}. The log line is written now, before the
     * caller commits.
     *
     * @param c        a registry connection with auto-commit off (the caller's transaction)
     * @param cdkId    the CDK concerned, or {@code null}
     * @param keystore the keystore concerned, or {@code null}
     * @param detail   explanation; must not contain key bytes or data (cut to 4000 characters)
     * @return the appended event
     * @throws IllegalArgumentException if {@code c} is in auto-commit mode (the head lock would not hold)
     * @throws SQLException             on a database failure; the caller rolls back
     */
    public AuditEvent append(Connection c, AuditAction action, CdkId cdkId, String keystore, String detail)
            throws SQLException {
        return append(c, actor, afterHeadLocked, action, cdkId, keystore, detail);
    }

    private static AuditEvent append(Connection c, String actor, Runnable afterHeadLocked, AuditAction action,
                                     CdkId cdkId, String keystore, String detail) throws SQLException {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        if (c.getAutoCommit()) {
            throw new IllegalArgumentException("append needs the caller's transaction: turn auto-commit off");
        }
        String text = detail == null ? "" : detail.replace('\u0000', '\uFFFD');
        if (text.length() > MAX_DETAIL) {
            text = text.substring(0, MAX_DETAIL - 3) + "...";
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String prev;
        try (PreparedStatement s = c.prepareStatement("SELECT last_hash FROM dataenc_audit_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the audit chain head (dataenc_audit_head, id 1) is missing");
            }
            prev = rs.getString(1);
        }
        afterHeadLocked.run();
        String hash = AuditChain.hash(prev, at, actor, action, cdkId, keystore, text);
        long seq;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_audit (at, actor, action, cdk_id, keystore,"
                + " detail, prev_hash, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"seq"})) {
            s.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            s.setString(2, actor);
            s.setString(3, action.name());
            s.setString(4, cdkId == null ? null : cdkId.toString());
            s.setString(5, keystore);
            s.setString(6, text);
            s.setString(7, prev);
            s.setString(8, hash);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no seq for the new audit entry");
                }
                seq = keys.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_audit_head SET last_seq = ?, last_hash = ?"
                + " WHERE id = 1")) {
            s.setLong(1, seq);
            s.setString(2, hash);
            s.executeUpdate();
        }
        AuditEvent event = new AuditEvent(seq, at, actor, action, cdkId, keystore, text);
        String line = event.line() + "  chain=" + hash.substring(0, 16);
        if (action == AuditAction.SWITCH_REFUSED || action == AuditAction.CONFIG_REFUSED) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
        return event;
    }

    /**
     * Appends inside the caller's transaction, like {@link #append}: the entry commits with the change it
     * records, or neither does.
     */
    public void record(Connection c, AuditAction action, CdkId cdk, String keystore, String detail) throws SQLException {
        append(c, action, cdk, keystore, detail);
    }

    /**
     * Recomputes the hash chain from its anchor to its head.
     *
     * @return the intact chain's summary
     * @throws AuditChainBrokenException naming the first entry that was changed, that does not follow the
     *         one before it (an entry was deleted or the order changed), that has no chain hash, or the
     *         head when the last entries were deleted
     */
    public AuditChainReport verify() {
        return db.read("verify the audit trail", c -> {
            long anchor;
            long headSeq;
            String headHash;
            try (PreparedStatement s = c.prepareStatement("SELECT anchor_seq, last_seq, last_hash FROM dataenc_audit_head"
                    + " WHERE id = 1"); ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new AuditChainBrokenException(0, "the chain head (table dataenc_audit_head) was deleted");
                }
                anchor = rs.getLong(1);
                headSeq = rs.getLong(2);
                headHash = rs.getString(3);
            }
            long before;
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM dataenc_audit WHERE seq <= ?")) {
                s.setLong(1, anchor);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    before = rs.getLong(1);
                }
            }
            String prev = AuditChain.GENESIS;
            long lastSeq = anchor;
            long chained = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + ", prev_hash, chain_hash FROM dataenc_audit"
                    + " WHERE seq > ? ORDER BY seq")) {
                s.setLong(1, anchor);
                s.setFetchSize(500);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        AuditEvent e = event(rs);
                        String rowPrev = rs.getString(8);
                        String rowHash = rs.getString(9);
                        if (rowHash == null || rowPrev == null) {
                            throw new AuditChainBrokenException(e.seq(), "it has no chain hash: it was inserted outside"
                                    + " dataenc's audit trail, or by a dataenc version without the chain");
                        }
                        if (!rowPrev.equals(prev)) {
                            throw new AuditChainBrokenException(e.seq(), "it does not follow "
                                    + (chained == 0 ? "the start of the chain" : "seq " + lastSeq)
                                    + ": an entry before it was deleted, or entries were reordered");
                        }
                        String expected = AuditChain.hash(rowPrev, e.at(), e.actor(), e.action(), e.cdkId(), e.keystore(),
                                e.detail());
                        if (!expected.equals(rowHash)) {
                            throw new AuditChainBrokenException(e.seq(), "it was changed after it was written (its"
                                    + " content no longer matches its chain hash)");
                        }
                        prev = rowHash;
                        lastSeq = e.seq();
                        chained++;
                    }
                }
            }
            if (lastSeq != headSeq || !prev.equals(headHash)) {
                throw new AuditChainBrokenException(lastSeq, "the trail ends here but its head records seq " + headSeq
                        + ": the entries after it were deleted (or the head was changed)");
            }
            return new AuditChainReport(chained, before, lastSeq, prev);
        });
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        List<AuditEvent> events = query("SELECT " + COLUMNS + " FROM dataenc_audit ORDER BY seq DESC", null, limit);
        Collections.reverse(events);
        return events;
    }

    @Override
    public List<AuditEvent> byAction(AuditAction action) {
        return query("SELECT " + COLUMNS + " FROM dataenc_audit WHERE action = ? ORDER BY seq", action.name(),
                Integer.MAX_VALUE);
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
                    result.add(event(rs));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new RegistryException("CDK registry at " + db.displayUrl() + ": cannot read the audit trail: "
                    + e.getMessage(), e);
        }
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        String cdk = rs.getString(5);
        return new AuditEvent(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                AuditAction.valueOf(rs.getString(4)), cdk == null ? null : CdkId.parse(cdk), rs.getString(6),
                rs.getString(7));
    }

    @Override
    public String toString() {
        return "JdbcAuditTrail[" + db.displayUrl() + "]";
    }

    /**
     * Appends an event attributed to {@code actor} inside the caller's transaction, on the hash chain like
     * {@link #append}, so that a change and its audit entry commit (or roll back) together.
     *
     * @param c the connection of the caller's transaction (auto-commit off)
     */
    public static void insert(Connection c, String actor, AuditAction action, CdkId cdkId, String keystore,
                              String detail) throws SQLException {
        append(c, actor, () -> { }, action, cdkId, keystore, detail);
    }
}
