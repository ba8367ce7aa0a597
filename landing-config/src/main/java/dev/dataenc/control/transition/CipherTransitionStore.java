package dev.dataenc.control.transition;

import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** Persists {@link CipherTransition}s; one open at a time across all nodes (unique marker), changes by compare-and-set. */
public final class CipherTransitionStore {

    private static final String COLUMNS = "id, old_keystore, new_keystore, phase, started_by, started_at, updated_at,"
            + " row_version";

    private final RegistryDatabase db;

    /** More work (e.g. the audit entry) done in the transaction of a change, with the transition as changed. */
    @FunctionalInterface
    public interface AlsoInTransaction {
        /** Does nothing. */
        AlsoInTransaction NONE = (c, t) -> { };

        /** Runs on {@code c} before the change commits; a failure rolls the change back. */
        void run(Connection c, CipherTransition changed) throws SQLException;
    }

    public CipherTransitionStore(RegistryDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Records a new transition in phase STARTED.
     *
     * @throws RegistryConflictException if another transition is open
     */
    public CipherTransition start(String oldKeystore, String newKeystore, String startedBy) {
        return start(oldKeystore, newKeystore, startedBy, AlsoInTransaction.NONE);
    }

    /**
     * As {@link #start(String, String, String)}, running {@code also} (e.g. the audit entry) in the same transaction.
     */
    public CipherTransition start(String oldKeystore, String newKeystore, String startedBy, AlsoInTransaction also) {
        String id = UUID.randomUUID().toString();
        return db.write("start a cipher transition", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_cipher_transition (id, old_keystore,"
                    + " new_keystore, phase, open_marker, started_by, started_at, updated_at, row_version)"
                    + " VALUES (?, ?, ?, 'STARTED', TRUE, ?, ?, ?, 1)")) {
                OffsetDateTime now = now();
                s.setString(1, id);
                s.setString(2, oldKeystore);
                s.setString(3, newKeystore);
                s.setString(4, startedBy);
                s.setObject(5, now);
                s.setObject(6, now);
                s.executeUpdate();
            }
            CipherTransition started = load(c, " WHERE id = ?", id).get(0);
            also.run(c, started);
            return started;
        });
    }

    /** The open transition, if any. */
    public Optional<CipherTransition> open() {
        return db.read("read the open cipher transition", c -> load(c, " WHERE open_marker = TRUE", null).stream().findFirst());
    }

    /** Every transition, oldest first. */
    public List<CipherTransition> all() {
        return db.read("read cipher transitions", c -> load(c, "", null));
    }

    /** Keystores whose cipher a finished transition refused. */
    public Set<String> refusedKeystores() {
        Set<String> refused = new TreeSet<>();
        for (CipherTransition t : all()) {
            if (t.phase() == CipherPhase.OLD_REFUSED) {
                refused.add(t.oldKeystore());
            }
        }
        return refused;
    }

    /**
     * Master key ids that finished transitions refused (see {@link #refuse}), with the keystore each belonged to.
     */
    public Map<String, String> refusedMasterKeys() {
        return db.read("read refused master keys", c -> {
            Map<String, String> result = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT master_key_id, keystore FROM dataenc_refused_master_key");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getString(2));
                }
            }
            return result;
        });
    }

    /**
     * Moves a transition to {@code next} (compare-and-set on its row version).
     *
     * @throws RegistryConflictException if another process changed it first
     */
    public CipherTransition advance(CipherTransition t, CipherPhase next) {
        return advance(t, next, Set.of(), AlsoInTransaction.NONE);
    }

    /**
     * As {@link #advance(CipherTransition, CipherPhase)}, running {@code also} (e.g. the audit entry) in the same
     * transaction.
     */
    public CipherTransition advance(CipherTransition t, CipherPhase next, AlsoInTransaction also) {
        return advance(t, next, Set.of(), also);
    }

    /**
     * Moves a transition to {@link CipherPhase#OLD_REFUSED} and records the old cipher's master key ids as
     * refused, in one transaction.
     *
     * @throws RegistryConflictException if another process changed it first
     */
    public CipherTransition refuse(CipherTransition t, Set<String> masterKeyIds) {
        return refuse(t, masterKeyIds, AlsoInTransaction.NONE);
    }

    /**
     * As {@link #refuse(CipherTransition, Set)}, running {@code also} (e.g. the audit entry) in the same transaction.
     */
    public CipherTransition refuse(CipherTransition t, Set<String> masterKeyIds, AlsoInTransaction also) {
        return advance(t, CipherPhase.OLD_REFUSED, masterKeyIds, also);
    }

    private CipherTransition advance(CipherTransition t, CipherPhase next, Set<String> refusedMasterKeys,
                                     AlsoInTransaction also) {
        return db.write("advance cipher transition " + t.id(), c -> {
            for (String id : new TreeSet<>(refusedMasterKeys)) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_refused_master_key (master_key_id,"
                        + " keystore, transition_id, refused_at) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                        + " dataenc_refused_master_key WHERE master_key_id = ?)")) {
                    s.setString(1, id);
                    s.setString(2, t.oldKeystore());
                    s.setString(3, t.id());
                    s.setObject(4, now());
                    s.setString(5, id);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cipher_transition SET phase = ?, open_marker = ?,"
                    + " updated_at = ?, row_version = row_version + 1 WHERE id = ? AND row_version = ?")) {
                s.setString(1, next.name());
                s.setObject(2, next == CipherPhase.OLD_REFUSED ? null : Boolean.TRUE, java.sql.Types.BOOLEAN);
                s.setObject(3, now());
                s.setString(4, t.id());
                s.setLong(5, t.rowVersion());
                if (s.executeUpdate() != 1) {
                    throw new RegistryConflictException("cipher transition " + t.id() + " was changed by another process;"
                            + " run 'dataenc cipher-transition status' and retry");
                }
            }
            CipherTransition changed = load(c, " WHERE id = ?", t.id()).get(0);
            also.run(c, changed);
            return changed;
        });
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static List<CipherTransition> load(Connection c, String where, String param) throws SQLException {
        List<CipherTransition> result = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM dataenc_cipher_transition" + where
                + " ORDER BY started_at, id")) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(new CipherTransition(rs.getString(1), rs.getString(2), rs.getString(3),
                            CipherPhase.valueOf(rs.getString(4)), rs.getString(5),
                            rs.getObject(6, OffsetDateTime.class).toInstant(),
                            rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getLong(8)));
                }
            }
        }
        return result;
    }
}
