package dev.dataenc.registry;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkCheckValue;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.Wrapping;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link CdkRegistry} in a relational database (H2 or PostgreSQL, see {@link RegistryDatabase}).
 * Every change is one transaction. Races between processes or nodes are settled by the
 * database: the ACTIVE CDK row is locked ({@code SELECT ... FOR UPDATE}) while it is replaced,
 * a unique constraint allows only one ACTIVE CDK, and status changes are compare-and-set
 * ({@code UPDATE ... WHERE status = ?}). A lost race is a {@link RegistryConflictException}.
 */
public final class JdbcCdkRegistry implements CdkRegistry {

    private static final String SELECT_CDK_WITH_WRAPPINGS = "SELECT c.id, c.status, c.created_at, c.decrypt_only_since,"
            + " c.destroyed_at, w.keystore_name, w.master_key_id, w.master_key_version, w.wrapped_key, c.check_value"
            + " FROM dataenc_cdk c LEFT JOIN dataenc_cdk_wrapping w ON w.cdk_id = c.id";

    private final RegistryDatabase db;
    private final Clock clock;

    /** A registry in {@code db} that records status changes with the system clock. */
    public JdbcCdkRegistry(RegistryDatabase db) {
        this(db, Clock.systemUTC());
    }

    /** A registry in {@code db} that records status changes (decrypt-only and destruction times) with {@code clock}. */
    public JdbcCdkRegistry(RegistryDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    @Override
    public Optional<Cdk> find(CdkId id) {
        return read("find CDK " + id, c -> {
            List<Cdk> found = load(c, " WHERE c.id = ?", id.toString());
            return found.stream().findFirst();
        });
    }

    @Override
    public Optional<Cdk> findActive() {
        return read("find the ACTIVE CDK", c -> load(c, " WHERE c.active_marker = TRUE", null).stream().findFirst());
    }

    @Override
    public List<Cdk> list() {
        return read("list CDKs", c -> load(c, "", null));
    }

    @Override
    public void activate(Cdk newCdk, CdkId expectedActive) {
        write("activate CDK " + newCdk.id(), c -> {
            activate(c, newCdk, expectedActive);
            return null;
        });
    }

    /**
     * {@link #activate(Cdk, CdkId)} inside the caller's transaction on {@code c} (so that the caller can
     * record the audit entry, or check the control state, in the same transaction).
     */
    public void activate(Connection c, Cdk newCdk, CdkId expectedActive) throws SQLException {
        if (newCdk.status() != CdkStatus.ACTIVE) {
            throw new IllegalArgumentException("a CDK to activate must have status ACTIVE, got " + newCdk.status());
        }
        String current = null;
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM dataenc_cdk WHERE active_marker = TRUE FOR UPDATE");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                current = rs.getString(1);
            }
        }
        String expected = expectedActive == null ? null : expectedActive.toString();
        if (!Objects.equals(current, expected)) {
            throw new RegistryConflictException("expected ACTIVE CDK " + expected + " but it is " + current
                    + "; another writer activated a CDK first. Re-read the registry and retry if still needed.");
        }
        if (current != null) {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET status = 'DECRYPT_ONLY',"
                    + " active_marker = NULL, decrypt_only_since = ?, row_version = row_version + 1"
                    + " WHERE id = ? AND status = 'ACTIVE'")) {
                s.setObject(1, now());
                s.setString(2, current);
                if (s.executeUpdate() != 1) {
                    throw new RegistryConflictException("the ACTIVE CDK " + current + " changed while being replaced");
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_cdk (id, status, active_marker,"
                + " created_at, row_version, check_value) VALUES (?, 'ACTIVE', TRUE, ?, 1, ?)")) {
            s.setString(1, newCdk.id().toString());
            s.setObject(2, OffsetDateTime.ofInstant(newCdk.createdAt(), ZoneOffset.UTC));
            s.setBytes(3, newCdk.checkValue() == null ? null : newCdk.checkValue().value());
            s.executeUpdate();
        }
        for (Wrapping w : newCdk.wrappings()) {
            insertWrapping(c, newCdk.id(), w);
        }
    }

    @Override
    public void addWrapping(CdkId id, Wrapping wrapping) {
        write("add a wrapping to CDK " + id, c -> addWrapping(c, id, wrapping));
    }

    /**
     * {@link #addWrapping(CdkId, Wrapping)} inside the caller's transaction on {@code c}.
     *
     * @return true if the wrapping was added, false if an equal one was there already
     */
    public boolean addWrapping(Connection c, CdkId id, Wrapping wrapping) throws SQLException {
        // lock the CDK row: a concurrent destroy() must not leave this wrapping behind
        CdkStatus status = lockStatus(c, id);
        if (status == CdkStatus.DESTROYED) {
            throw new RegistryConflictException("CDK " + id + " was DESTROYED; it cannot get a wrapping again");
        }
        if (status == CdkStatus.DESTRUCTION_SCHEDULED) {
            throw new RegistryConflictException("CDK " + id + " is scheduled for destruction; it gets no new wrapping"
                    + " ('dataenc destroy-cdk --cancel " + id + "' first if it is still needed)");
        }
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM dataenc_cdk_wrapping WHERE cdk_id = ?"
                + " AND keystore_name = ? AND master_key_id = ? AND master_key_version = ?")) {
            s.setString(1, id.toString());
            s.setString(2, wrapping.keystoreName());
            s.setString(3, wrapping.masterKeyId());
            s.setString(4, wrapping.masterKeyVersion());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        insertWrapping(c, id, wrapping);
        return true;
    }

    @Override
    public void removeWrapping(CdkId id, Wrapping wrapping) {
        write("remove a wrapping from CDK " + id, c -> removeWrapping(c, id, wrapping));
    }

    /**
     * {@link #removeWrapping(CdkId, Wrapping)} inside the caller's transaction on {@code c}.
     *
     * @return true if the wrapping was there and is removed
     */
    public boolean removeWrapping(Connection c, CdkId id, Wrapping wrapping) throws SQLException {
        // lock the CDK row so two removers cannot each leave the other's wrapping as the last one
        lockStatus(c, id);
        int count;
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM dataenc_cdk_wrapping WHERE cdk_id = ?")) {
            s.setString(1, id.toString());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                count = rs.getInt(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM dataenc_cdk_wrapping WHERE cdk_id = ?"
                + " AND keystore_name = ? AND master_key_id = ? AND master_key_version = ?")) {
            s.setString(1, id.toString());
            s.setString(2, wrapping.keystoreName());
            s.setString(3, wrapping.masterKeyId());
            s.setString(4, wrapping.masterKeyVersion());
            int removed = s.executeUpdate();
            if (removed > 0 && count - removed < 1) {
                throw new RegistryConflictException("CDK " + id + ": refusing to remove its only wrapping (keystore '"
                        + wrapping.keystoreName() + "'); the CDK would be lost");
            }
            return removed > 0;
        }
    }

    @Override
    public void updateStatus(CdkId id, CdkStatus expected, CdkStatus next) {
        write("change CDK " + id + " from " + expected + " to " + next, c -> {
            updateStatus(c, id, expected, next);
            return null;
        });
    }

    /** {@link #updateStatus(CdkId, CdkStatus, CdkStatus)} inside the caller's transaction on {@code c}. */
    public void updateStatus(Connection c, CdkId id, CdkStatus expected, CdkStatus next) throws SQLException {
        if (expected == CdkStatus.DESTROYED || next == CdkStatus.DESTROYED) {
            throw new IllegalArgumentException("a CDK becomes DESTROYED only through destroy(), and never leaves it");
        }
        if (expected == CdkStatus.DESTRUCTION_SCHEDULED || next == CdkStatus.DESTRUCTION_SCHEDULED) {
            throw new IllegalArgumentException("a destruction is scheduled and cancelled only with its waiting period"
                    + " (dev.dataenc.control.lifecycle.CdkDestruction), never by a plain status change");
        }
        String since = next == CdkStatus.ACTIVE ? "NULL"
                : expected == CdkStatus.ACTIVE ? "?" : "decrypt_only_since";
        try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET status = ?, active_marker = ?,"
                + " decrypt_only_since = " + since + ", row_version = row_version + 1 WHERE id = ? AND status = ?")) {
            int i = 1;
            s.setString(i++, next.name());
            s.setObject(i++, next == CdkStatus.ACTIVE ? Boolean.TRUE : null, java.sql.Types.BOOLEAN);
            if ("?".equals(since)) {
                s.setObject(i++, now());
            }
            s.setString(i++, id.toString());
            s.setString(i, expected.name());
            if (s.executeUpdate() == 1) {
                return;
            }
        }
        requireExists(c, id);
        throw new RegistryConflictException("CDK " + id + " is no longer " + expected + "; another writer changed it");
    }

    /** The ACTIVE CDK's id, read on the caller's connection {@code c} (inside its transaction). */
    public Optional<CdkId> findActiveId(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM dataenc_cdk WHERE active_marker = TRUE");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(CdkId.parse(rs.getString(1))) : Optional.empty();
        }
    }

    /** Every CDK, read on the caller's connection {@code c} (inside its transaction). */
    public List<Cdk> list(Connection c) throws SQLException {
        return load(c, "", null);
    }

    /**
     * Runs {@code work} as one transaction of the registry database, so a change made with the
     * {@code Connection}-taking methods commits together with whatever else {@code work} writes
     * (its audit entry) or not at all.
     */
    public <T> T inTransaction(String what, RegistryDatabase.SqlWork<T> work) {
        return write(what, work);
    }

    @Override
    public Cdk destroy(CdkId id) {
        return destroy(id, c -> null);
    }

    /**
     * {@link #destroy(CdkId)}, running {@code alsoInTransaction} (e.g. the audit entry) in the same transaction,
     * after the CDK is destroyed: both commit or neither does.
     */
    public Cdk destroy(CdkId id, RegistryDatabase.SqlWork<Void> alsoInTransaction) {
        write("destroy CDK " + id, c -> {
            CdkStatus status = lockStatus(c, id);
            if (status != CdkStatus.DESTRUCTION_SCHEDULED) {
                throw new RegistryConflictException("CDK " + id + " is " + status + ", not DESTRUCTION_SCHEDULED; only a"
                        + " CDK whose destruction was scheduled can be destroyed, after its waiting period");
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET status = 'DESTROYED', destroyed_at = ?,"
                    + " destruction_due_at = NULL, row_version = row_version + 1 WHERE id = ?"
                    + " AND status = 'DESTRUCTION_SCHEDULED' AND destruction_due_at <= ?")) {
                s.setObject(1, now());
                s.setString(2, id.toString());
                s.setObject(3, now());
                if (s.executeUpdate() != 1) {
                    throw new RegistryConflictException("CDK " + id + " is not due for destruction yet (its waiting period"
                            + " has not ended), or changed meanwhile; re-read and retry");
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM dataenc_cdk_wrapping WHERE cdk_id = ?")) {
                s.setString(1, id.toString());
                s.executeUpdate();
            }
            alsoInTransaction.run(c);
            return null;
        });
        return find(id).orElseThrow(() -> new UnknownCdkException(id, "CDK " + id + " is not in the registry"));
    }

    @Override
    public void recordCheckValue(CdkId id, CdkCheckValue checkValue) {
        write("record the check value of CDK " + id, c -> {
            recordCheckValue(c, id, checkValue);
            return null;
        });
    }

    /**
     * As {@link #recordCheckValue(CdkId, CdkCheckValue)}, inside the caller's transaction on {@code c}.
     *
     * @return true if the value was stored now, false if the CDK already had this value
     */
    public boolean recordCheckValue(Connection c, CdkId id, CdkCheckValue checkValue) throws SQLException {
        Objects.requireNonNull(checkValue, "checkValue");
        {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET check_value = ?,"
                    + " row_version = row_version + 1 WHERE id = ? AND check_value IS NULL")) {
                s.setBytes(1, checkValue.value());
                s.setString(2, id.toString());
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT check_value FROM dataenc_cdk WHERE id = ?")) {
                s.setString(1, id.toString());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new UnknownCdkException(id, "CDK " + id + " is not in the registry");
                    }
                    CdkCheckValue stored = new CdkCheckValue(rs.getBytes(1));
                    if (!stored.equals(checkValue)) {
                        throw new RegistryConflictException("CDK " + id + " already has another check value (" + stored
                                + "); a check value is never changed");
                    }
                }
            }
            return false;
        }
    }

    /** Locks the CDK's row for this transaction and returns its status. */
    private static CdkStatus lockStatus(Connection c, CdkId id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT status FROM dataenc_cdk WHERE id = ? FOR UPDATE")) {
            s.setString(1, id.toString());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownCdkException(id, "CDK " + id + " is not in the registry");
                }
                return CdkStatus.valueOf(rs.getString(1));
            }
        }
    }

    private static void insertWrapping(Connection c, CdkId id, Wrapping w) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_cdk_wrapping (cdk_id, keystore_name,"
                + " master_key_id, master_key_version, wrapped_key, added_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id.toString());
            s.setString(2, w.keystoreName());
            s.setString(3, w.masterKeyId());
            s.setString(4, w.masterKeyVersion());
            s.setBytes(5, w.wrappedKey());
            s.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private static void requireExists(Connection c, CdkId id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM dataenc_cdk WHERE id = ?")) {
            s.setString(1, id.toString());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownCdkException(id, "CDK " + id + " is not in the registry");
                }
            }
        }
    }

    /**
     * CDKs with their wrappings in one statement, so the result is one consistent snapshot: a CDK
     * activated, re-wrapped or destroyed by another writer meanwhile is seen entirely before or
     * entirely after (two separate reads could pair a new CDK row with no wrappings).
     */
    private static List<Cdk> load(Connection c, String cdkWhere, String param) throws SQLException {
        List<Cdk> result = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT_CDK_WITH_WRAPPINGS + cdkWhere
                + " ORDER BY c.created_at, c.id, w.added_at, w.keystore_name")) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet rs = s.executeQuery()) {
                String id = null;
                Object[] row = null;
                List<Wrapping> wrappings = new ArrayList<>();
                while (rs.next()) {
                    String rowId = rs.getString(1);
                    if (!rowId.equals(id)) {
                        if (id != null) {
                            result.add(cdk(id, row, wrappings));
                        }
                        id = rowId;
                        byte[] check = rs.getBytes(10);
                        row = new Object[] {rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            instant(rs, 4), instant(rs, 5), check == null ? null : new CdkCheckValue(check)};
                        wrappings = new ArrayList<>();
                    }
                    if (rs.getString(6) != null) {
                        wrappings.add(new Wrapping(rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9)));
                    }
                }
                if (id != null) {
                    result.add(cdk(id, row, wrappings));
                }
            }
        }
        return result;
    }

    private static Cdk cdk(String id, Object[] row, List<Wrapping> wrappings) {
        return new Cdk(CdkId.parse(id), CdkStatus.valueOf((String) row[0]), (Instant) row[1], wrappings,
                (Instant) row[2], (Instant) row[3], (CdkCheckValue) row[4]);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private <T> T read(String what, RegistryDatabase.SqlWork<T> work) {
        return db.read(what, work);
    }

    private <T> T write(String what, RegistryDatabase.SqlWork<T> work) {
        return db.write(what, work);
    }
}
