package dev.dataenc.control.keyswitch;

import dev.dataenc.control.ControlState;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.CipherType;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Persists the registry-wide {@link ControlState} and {@link SwitchJob}s. Every change is one
 * transaction with compare-and-set on {@code row_version}; a unique marker column allows only one
 * unfinished switch at a time, whichever node starts it. A lost race is a
 * {@link RegistryConflictException}.
 */
public final class SwitchJobStore {

    private static final String JOB_COLUMNS = "id, source_keystore, target_keystore, target_cipher, phase, new_cdk_id,"
            + " cdks_total, cdks_rewrapped, owner, lease_until, started_by, started_at, updated_at, row_version";

    private final RegistryDatabase db;
    private final Clock clock;

    public SwitchJobStore(RegistryDatabase db) {
        this(db, Clock.systemUTC());
    }

    public SwitchJobStore(RegistryDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The committed active keystore, once the registry has been initialised. */
    public Optional<ControlState> state() {
        return run("read the control state", false, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT active_keystore, cipher_type, updated_at, row_version FROM dataenc_control WHERE id = 1");
                 ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ControlState(rs.getString(1), CipherType.parse(rs.getString(2)).orElseThrow(),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4)));
            }
        });
    }

    /**
     * Records the first active keystore if none is recorded yet (first start on a new registry).
     *
     * @return true if this call recorded it, false if a state existed already (then nothing changed)
     */
    public boolean initState(String keystore, CipherType cipherType) {
        try {
            return run("initialise the control state", true, c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM dataenc_control WHERE id = 1");
                     ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_control (id, active_keystore,"
                        + " cipher_type, updated_at, row_version) VALUES (1, ?, ?, ?, 1)")) {
                    s.setString(1, keystore);
                    s.setString(2, cipherType.configValue());
                    s.setObject(3, now());
                    s.executeUpdate();
                }
                return true;
            });
        } catch (RegistryConflictException e) {
            return false;
        }
    }

    /**
     * Records a new switch job in phase STARTED with the id its new CDK will have.
     *
     * @throws RegistryConflictException if another unfinished switch exists (possibly just started by another node)
     */
    public SwitchJob start(String source, String target, CipherType targetCipher, String startedBy, String owner,
                           Duration lease) {
        return start(source, target, targetCipher, startedBy, owner, lease, AlsoInTransaction.NOTHING);
    }

    /**
     * As {@link #start(String, String, CipherType, String, String, Duration)}, holding the control row's lock
     * (so no CDK rotation can run between the check and the start) and running {@code also} (the audit
     * entry) in the same transaction.
     *
     * @throws RegistryConflictException if another unfinished switch exists or the active keystore is no longer
     *                                   {@code source}
     */
    public SwitchJob start(String source, String target, CipherType targetCipher, String startedBy, String owner,
                           Duration lease, AlsoInTransaction also) {
        String id = UUID.randomUUID().toString();
        CdkId newCdk = CdkId.random();
        return run("start a switch to '" + target + "'", true, c -> {
            Locked locked = lock(c);
            if (locked.activeKeystore() != null && !locked.activeKeystore().equals(source)) {
                throw new RegistryConflictException("the active keystore changed to '" + locked.activeKeystore()
                        + "' meanwhile; re-read the registry");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_switch_job (id, source_keystore,"
                    + " target_keystore, target_cipher, phase, new_cdk_id, cdks_total, cdks_rewrapped, running_marker,"
                    + " owner, lease_until, started_by, started_at, updated_at, row_version)"
                    + " VALUES (?, ?, ?, ?, 'STARTED', ?, 0, 0, TRUE, ?, ?, ?, ?, ?, 1)")) {
                OffsetDateTime now = now();
                s.setString(1, id);
                s.setString(2, source);
                s.setString(3, target);
                s.setString(4, targetCipher.configValue());
                s.setString(5, newCdk.toString());
                s.setString(6, owner);
                s.setObject(7, now.plus(lease));
                s.setString(8, startedBy);
                s.setObject(9, now);
                s.setObject(10, now);
                s.executeUpdate();
            }
            SwitchJob job = load(c, " WHERE id = ?", id).get(0);
            also.run(c, job);
            return job;
        });
    }

    /**
     * Work done inside a switch-job transaction after the job row changed (the audit entry, the new
     * CDK's activation): it commits with the job's change or not at all.
     */
    @FunctionalInterface
    public interface AlsoInTransaction {
        /** Nothing more. */
        AlsoInTransaction NOTHING = (c, job) -> { };

        /** Runs on the transaction's connection with the job as changed. */
        void run(Connection c, SwitchJob job) throws SQLException;
    }

    /**
     * The registry-wide control state, locked for the rest of the caller's transaction.
     *
     * @param activeKeystore the registry's active keystore, or {@code null} before the first start
     * @param running        the unfinished switch, if any
     */
    public record Locked(String activeKeystore, Optional<SwitchJob> running) {
    }

    /**
     * Locks the control row ({@code SELECT ... FOR UPDATE}) for the transaction on {@code c} and reads the
     * active keystore and the unfinished switch. Switch start, switch completion and CDK rotation all take
     * this lock first, so they exclude each other on every node (H2 and PostgreSQL alike).
     */
    public static Locked lock(Connection c) throws SQLException {
        String active = null;
        try (PreparedStatement s = c.prepareStatement("SELECT active_keystore FROM dataenc_control WHERE id = 1 FOR UPDATE");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                active = rs.getString(1);
            }
        }
        return new Locked(active, load(c, " WHERE running_marker = TRUE", null).stream().findFirst());
    }

    /** The unfinished switch, if any. */
    public Optional<SwitchJob> running() {
        return run("read the running switch", false, c -> load(c, " WHERE running_marker = TRUE", null).stream().findFirst());
    }

    /** A job by id. */
    public Optional<SwitchJob> find(String id) {
        return run("read switch " + id, false, c -> load(c, " WHERE id = ?", id).stream().findFirst());
    }

    /** The most recent jobs, newest first. */
    public List<SwitchJob> history(int limit) {
        List<SwitchJob> all = run("read the switch history", false, c -> load(c, "", null));
        List<SwitchJob> newest = new ArrayList<>(all);
        java.util.Collections.reverse(newest);
        return newest.subList(0, Math.min(limit, newest.size()));
    }

    /**
     * Takes over {@code job} for {@code owner} (compare-and-set on its row version).
     *
     * @throws RegistryConflictException if the job changed since it was read (someone else claimed or advanced it)
     */
    public SwitchJob claim(SwitchJob job, String owner, Duration lease) {
        return claim(job, owner, lease, AlsoInTransaction.NOTHING);
    }

    /** As {@link #claim(SwitchJob, String, Duration)}, running {@code also} (the audit entry) in the same transaction. */
    public SwitchJob claim(SwitchJob job, String owner, Duration lease, AlsoInTransaction also) {
        return update(job, "claim", "owner = ?, lease_until = ?", null, s -> {
            s.setString(1, owner);
            s.setObject(2, now().plus(lease));
        }, also);
    }

    /**
     * Records progress of a job this owner holds and renews its lease.
     *
     * @throws RegistryConflictException if another process took the job over
     */
    public SwitchJob advance(SwitchJob job, SwitchPhase phase, int total, int rewrapped, Duration lease) {
        return advance(job, phase, total, rewrapped, lease, AlsoInTransaction.NOTHING);
    }

    /**
     * As {@link #advance(SwitchJob, SwitchPhase, int, int, Duration)}, running {@code also} (e.g. the new CDK's
     * activation and its audit entry) in the same transaction, which holds the control row's lock.
     */
    public SwitchJob advance(SwitchJob job, SwitchPhase phase, int total, int rewrapped, Duration lease,
                             AlsoInTransaction also) {
        if (phase == SwitchPhase.COMPLETED || phase == SwitchPhase.CANCELLED) {
            throw new IllegalArgumentException("use complete() or cancel() to end a switch");
        }
        return update(job, "advance", "phase = ?, cdks_total = ?, cdks_rewrapped = ?, lease_until = ?", job.owner(), s -> {
            s.setString(1, phase.name());
            s.setInt(2, total);
            s.setInt(3, rewrapped);
            s.setObject(4, now().plus(lease));
        }, also);
    }

    /**
     * Finishes the job and makes its target the active keystore, in one transaction.
     *
     * @throws RegistryConflictException if another process took the job over
     */
    public SwitchJob complete(SwitchJob job) {
        return complete(job, null, AlsoInTransaction.NOTHING);
    }

    /**
     * Finishes the job and makes its target the active keystore, in one transaction that holds the control
     * row's lock, checks that every CDK in use has a wrapping under the target's master key
     * {@code targetKeyId} (unless null) and runs {@code also} (the audit entry).
     *
     * @throws WrappingsMissingException if a CDK in use still lacks such a wrapping (nothing changed: re-wrap it)
     * @throws RegistryConflictException if another process took the job over
     */
    public SwitchJob complete(SwitchJob job, String targetKeyId, AlsoInTransaction also) {
        return run("complete switch " + job.id(), true, c -> {
            lock(c);
            if (targetKeyId != null) {
                List<String> missing = missingWrappings(c, job.target(), targetKeyId);
                if (!missing.isEmpty()) {
                    throw new WrappingsMissingException(job.target(), missing);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_switch_job SET phase = 'COMPLETED',"
                    + " running_marker = NULL, lease_until = NULL, updated_at = ?, row_version = row_version + 1"
                    + " WHERE id = ? AND row_version = ? AND owner = ? AND running_marker = TRUE")) {
                s.setObject(1, now());
                s.setString(2, job.id());
                s.setLong(3, job.rowVersion());
                s.setString(4, job.owner());
                if (s.executeUpdate() != 1) {
                    throw lost(job, "complete");
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_control SET active_keystore = ?, cipher_type = ?,"
                    + " updated_at = ?, row_version = row_version + 1 WHERE id = 1")) {
                s.setString(1, job.target());
                s.setString(2, job.targetCipher().configValue());
                s.setObject(3, now());
                if (s.executeUpdate() != 1) {
                    try (PreparedStatement i = c.prepareStatement("INSERT INTO dataenc_control (id, active_keystore,"
                            + " cipher_type, updated_at, row_version) VALUES (1, ?, ?, ?, 1)")) {
                        i.setString(1, job.target());
                        i.setString(2, job.targetCipher().configValue());
                        i.setObject(3, now());
                        i.executeUpdate();
                    }
                }
            }
            SwitchJob done = load(c, " WHERE id = ?", job.id()).get(0);
            also.run(c, done);
            return done;
        });
    }

    /**
     * Ends an unfinished job without making its target active (phase CANCELLED), in one transaction that
     * holds the control row's lock and runs {@code also} (the CDK roll-back and the audit entry) first.
     *
     * @throws RegistryConflictException if the job changed since it was read
     */
    public SwitchJob cancel(SwitchJob job, AlsoInTransaction also) {
        return run("cancel switch " + job.id(), true, c -> {
            lock(c);
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_switch_job SET phase = 'CANCELLED',"
                    + " running_marker = NULL, lease_until = NULL, updated_at = ?, row_version = row_version + 1"
                    + " WHERE id = ? AND row_version = ? AND running_marker = TRUE")) {
                s.setObject(1, now());
                s.setString(2, job.id());
                s.setLong(3, job.rowVersion());
                if (s.executeUpdate() != 1) {
                    throw lost(job, "cancel");
                }
            }
            SwitchJob cancelled = load(c, " WHERE id = ?", job.id()).get(0);
            also.run(c, cancelled);
            return cancelled;
        });
    }

    /** Encryptions recorded (flushed) under {@code cdk}, read on {@code c} inside the caller's transaction. */
    static long encryptions(Connection c, CdkId cdk) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(encryptions), 0) FROM dataenc_cdk_usage"
                + " WHERE cdk_id = ?")) {
            s.setString(1, cdk.toString());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** CDKs in use (ACTIVE or DECRYPT_ONLY) without a wrapping under {@code keystore}'s master key {@code keyId}. */
    static List<String> missingWrappings(Connection c, String keystore, String keyId) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT c.id FROM dataenc_cdk c WHERE c.status IN ('ACTIVE',"
                + " 'DECRYPT_ONLY') AND NOT EXISTS (SELECT 1 FROM dataenc_cdk_wrapping w WHERE w.cdk_id = c.id"
                + " AND w.keystore_name = ? AND w.master_key_id = ?) ORDER BY c.created_at, c.id")) {
            s.setString(1, keystore);
            s.setString(2, keyId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** True if the job's lease has run out (its owner stopped renewing it). */
    public boolean leaseExpired(SwitchJob job) {
        return job.leaseUntil() == null || job.leaseUntil().isBefore(clock.instant());
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private SwitchJob update(SwitchJob job, String what, String set, String requiredOwner, Binder binder,
                             AlsoInTransaction also) {
        int setParams = (int) set.chars().filter(ch -> ch == '?').count();
        return run(what + " switch " + job.id(), true, c -> {
            if (also != AlsoInTransaction.NOTHING) {
                lock(c);
            }
            String sql = "UPDATE dataenc_switch_job SET " + set + ", updated_at = ?, row_version = row_version + 1"
                    + " WHERE id = ? AND row_version = ? AND running_marker = TRUE" + (requiredOwner == null ? "" : " AND owner = ?");
            try (PreparedStatement s = c.prepareStatement(sql)) {
                binder.bind(s);
                s.setObject(setParams + 1, now());
                s.setString(setParams + 2, job.id());
                s.setLong(setParams + 3, job.rowVersion());
                if (requiredOwner != null) {
                    s.setString(setParams + 4, requiredOwner);
                }
                if (s.executeUpdate() != 1) {
                    throw lost(job, what);
                }
            }
            SwitchJob changed = load(c, " WHERE id = ?", job.id()).get(0);
            also.run(c, changed);
            return changed;
        });
    }

    private static RegistryConflictException lost(SwitchJob job, String what) {
        return new RegistryConflictException("cannot " + what + " switch " + job.id() + " to '" + job.target()
                + "': another process changed it first (it was taken over, finished or cancelled). Re-read it; it is not lost.");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static List<SwitchJob> load(Connection c, String where, String param) throws SQLException {
        List<SwitchJob> jobs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM dataenc_switch_job" + where
                + " ORDER BY started_at, id")) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String newCdk = rs.getString(6);
                    OffsetDateTime lease = rs.getObject(10, OffsetDateTime.class);
                    jobs.add(new SwitchJob(rs.getString(1), rs.getString(2), rs.getString(3),
                            CipherType.parse(rs.getString(4)).orElseThrow(), SwitchPhase.valueOf(rs.getString(5)),
                            newCdk == null ? null : CdkId.parse(newCdk), rs.getInt(7), rs.getInt(8), rs.getString(9),
                            lease == null ? null : lease.toInstant(), rs.getString(11),
                            rs.getObject(12, OffsetDateTime.class).toInstant(),
                            rs.getObject(13, OffsetDateTime.class).toInstant(), rs.getLong(14)));
                }
            }
        }
        return jobs;
    }

    private <T> T run(String what, boolean write, RegistryDatabase.SqlWork<T> work) {
        return write ? db.write(what, work) : db.read(what, work);
    }

    @Override
    public String toString() {
        return "SwitchJobStore[" + db.displayUrl() + "]";
    }

}
