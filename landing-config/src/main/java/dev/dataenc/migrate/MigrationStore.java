package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.keyswitch.SwitchOwner;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Persists migration jobs, their batches and reference scans in the registry database. Every change
 * is one transaction. Batches are claimed so that no batch is worked on by two live nodes: on
 * PostgreSQL with {@code SELECT ... FOR UPDATE SKIP LOCKED}, elsewhere (H2) with a compare-and-set
 * on {@code row_version}; a batch whose lease ran out, or whose owner's process on this host is gone,
 * can be claimed again. A batch becomes DONE, and its counters are added to the job, in one
 * transaction (the checkpoint).
 */
public final class MigrationStore {

    private static final String JOB_COLUMNS = "id, source, target_cdk_id, mode, status, batch_size, batches_total,"
            + " records_estimate, records, migrated, already_target, null_values, plaintext_values, encrypted_plaintext,"
            + " changed_by_app, unreadable, started_by, started_at, completed_at, from_context";
    private static final String BATCH_COLUMNS = "migration_id, batch_no, key_from, key_to, status, owner, lease_until,"
            + " attempts, records, migrated, already_target, null_values, plaintext_values, encrypted_plaintext,"
            + " changed_by_app, unreadable, done_by, row_version";
    private static final String CLAIMABLE = " WHERE migration_id = ? AND (status = 'PENDING' OR (status = 'CLAIMED'"
            + " AND lease_until < ?))";
    private static final int H2_CANDIDATES = 8;

    private final RegistryDatabase db;
    private final Clock clock;
    private volatile Boolean postgres;

    public MigrationStore(RegistryDatabase db) {
        this(db, Clock.systemUTC());
    }

    public MigrationStore(RegistryDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The unfinished job of {@code source}, if any. */
    public Optional<MigrationJob> running(String source) {
        return db.read("read the running migration of " + source, c -> loadJobs(c, " WHERE running_source = ?", source)
                .stream().findFirst());
    }

    /** A job by id. */
    public Optional<MigrationJob> find(String id) {
        return db.read("read migration " + id, c -> loadJobs(c, " WHERE id = ?", id).stream().findFirst());
    }

    /** Every job, newest first, at most {@code limit}. */
    public List<MigrationJob> history(int limit) {
        List<MigrationJob> all = new ArrayList<>(db.read("read the migrations", c -> loadJobs(c, "", null)));
        java.util.Collections.reverse(all);
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** The batches of a job, in key order. */
    public List<MigrationBatch> batches(String migrationId) {
        return db.read("read the batches of migration " + migrationId, c -> loadBatches(c, migrationId, ""));
    }

    /** How many batches of a job are in each status. */
    public Map<BatchStatus, Integer> tally(String migrationId) {
        return db.read("count the batches of migration " + migrationId, c -> {
            Map<BatchStatus, Integer> t = new EnumMap<>(BatchStatus.class);
            for (BatchStatus s : BatchStatus.values()) {
                t.put(s, 0);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT status, COUNT(*) FROM dataenc_migration_batch"
                    + " WHERE migration_id = ? GROUP BY status")) {
                s.setString(1, migrationId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        t.put(BatchStatus.valueOf(rs.getString(1)), rs.getInt(2));
                    }
                }
            }
            return t;
        });
    }

    /**
     * Records a new RUNNING job and its PENDING batches: batch 0 from the lowest key to the first
     * boundary, ..., the last from the last boundary without upper bound.
     *
     * @throws RegistryConflictException if the source has an unfinished job (perhaps just planned by another node)
     */
    public MigrationJob create(String source, CdkId target, MigrationMode mode, int batchSize, List<String> boundaries,
                               long recordsEstimate, String startedBy) {
        return create(source, target, mode, batchSize, boundaries, recordsEstimate, startedBy, Map.of(), null);
    }

    /**
     * As {@link #create(String, CdkId, MigrationMode, int, List, long, String)}, also recording, in the same
     * transaction, the values per CDK found in the source when planned (which CDKs' data it holds: the evidence
     * that makes its later scans count for retiring them) and the context a re-binding job decrypts with.
     *
     * @param found       values per CDK in the source now
     * @param fromContext the context to re-bind from ({@code --from-context}), or null
     */
    public MigrationJob create(String source, CdkId target, MigrationMode mode, int batchSize, List<String> boundaries,
                               long recordsEstimate, String startedBy, Map<CdkId, Long> found, String fromContext) {
        return create(source, target, mode, batchSize, boundaries, recordsEstimate, startedBy, found, Map.of(), fromContext);
    }

    /**
     * As {@link #create(String, CdkId, MigrationMode, int, List, long, String, Map, String)}, also recording how many
     * of the values found per CDK are BLOBs (which CDKs' BLOBs the source holds).
     *
     * @param foundBlobs of {@code found}, the BLOB-format ciphertexts per CDK
     */
    public MigrationJob create(String source, CdkId target, MigrationMode mode, int batchSize, List<String> boundaries,
                               long recordsEstimate, String startedBy, Map<CdkId, Long> found,
                               Map<CdkId, Long> foundBlobs, String fromContext) {
        String id = UUID.randomUUID().toString();
        int batches = boundaries.size() + 1;
        return db.write("plan a migration of " + source, c -> {
            OffsetDateTime now = now();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_migration (id, source, target_cdk_id, mode,"
                    + " status, running_source, batch_size, batches_total, records_estimate, records, migrated,"
                    + " already_target, null_values, plaintext_values, encrypted_plaintext, changed_by_app, unreadable,"
                    + " started_by, started_at, from_context, row_version) VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, 0, 0,"
                    + " 0, 0, 0, 0, 0, 0, ?, ?, ?, 1)")) {
                s.setString(1, id);
                s.setString(2, source);
                s.setString(3, target.toString());
                s.setString(4, mode.name());
                s.setString(5, source);
                s.setInt(6, batchSize);
                s.setInt(7, batches);
                s.setLong(8, recordsEstimate);
                s.setString(9, startedBy);
                s.setObject(10, now);
                s.setString(11, fromContext);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_migration_prescan (migration_id, cdk_id,"
                    + " value_count, blob_count) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<CdkId, Long> e : found.entrySet()) {
                    s.setString(1, id);
                    s.setString(2, e.getKey().toString());
                    s.setLong(3, e.getValue());
                    s.setLong(4, foundBlobs.getOrDefault(e.getKey(), 0L));
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_migration_batch (migration_id, batch_no,"
                    + " key_from, key_to, status, attempts, records, migrated, already_target, null_values,"
                    + " plaintext_values, encrypted_plaintext, changed_by_app, unreadable, row_version)"
                    + " VALUES (?, ?, ?, ?, 'PENDING', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)")) {
                for (int i = 0; i < batches; i++) {
                    s.setString(1, id);
                    s.setInt(2, i);
                    s.setString(3, i == 0 ? null : boundaries.get(i - 1));
                    s.setString(4, i == batches - 1 ? null : boundaries.get(i));
                    s.addBatch();
                    if (i % 500 == 499) {
                        s.executeBatch();
                    }
                }
                s.executeBatch();
            }
            return loadJobs(c, " WHERE id = ?", id).get(0);
        });
    }

    /**
     * Claims a batch of {@code job} for {@code owner}: a PENDING one, or a CLAIMED one whose lease ran
     * out or whose owner's process on this host has ended.
     *
     * @return the claimed batch, or empty when none can be claimed now
     */
    public Optional<MigrationBatch> claim(MigrationJob job, String owner, Duration lease) {
        Optional<MigrationBatch> claimed = isPostgres() ? claimSkipLocked(job, owner, lease) : claimByCas(job, owner, lease);
        if (claimed.isPresent()) {
            return claimed;
        }
        return claimFromGoneOwner(job, owner, lease);
    }

    private Optional<MigrationBatch> claimSkipLocked(MigrationJob job, String owner, Duration lease) {
        return db.write("claim a batch of migration " + job.id(), c -> {
            Integer batchNo = null;
            try (PreparedStatement s = c.prepareStatement("SELECT batch_no FROM dataenc_migration_batch" + CLAIMABLE
                    + " ORDER BY batch_no LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                s.setString(1, job.id());
                s.setObject(2, now());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        batchNo = rs.getInt(1);
                    }
                }
            }
            if (batchNo == null) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration_batch SET status = 'CLAIMED',"
                    + " owner = ?, lease_until = ?, attempts = attempts + 1, row_version = row_version + 1"
                    + " WHERE migration_id = ? AND batch_no = ?")) {
                s.setString(1, owner);
                s.setObject(2, now().plus(lease));
                s.setString(3, job.id());
                s.setInt(4, batchNo);
                s.executeUpdate();
            }
            return Optional.of(loadBatch(c, job.id(), batchNo));
        });
    }

    private Optional<MigrationBatch> claimByCas(MigrationJob job, String owner, Duration lease) {
        return db.write("claim a batch of migration " + job.id(), c -> {
            List<long[]> candidates = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT batch_no, row_version FROM dataenc_migration_batch"
                    + CLAIMABLE + " ORDER BY batch_no LIMIT " + H2_CANDIDATES)) {
                s.setString(1, job.id());
                s.setObject(2, now());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new long[] {rs.getInt(1), rs.getLong(2)});
                    }
                }
            }
            for (long[] cand : candidates) {
                if (casClaim(c, job.id(), (int) cand[0], cand[1], owner, lease)) {
                    return Optional.of(loadBatch(c, job.id(), (int) cand[0]));
                }
            }
            return Optional.empty();
        });
    }

    private Optional<MigrationBatch> claimFromGoneOwner(MigrationJob job, String owner, Duration lease) {
        return db.write("take over a batch of migration " + job.id(), c -> {
            List<MigrationBatch> claimedByOthers = new ArrayList<>();
            for (MigrationBatch b : loadBatches(c, job.id(), " AND status = 'CLAIMED'")) {
                if (!owner.equals(b.owner()) && SwitchOwner.isGone(b.owner())) {
                    claimedByOthers.add(b);
                }
            }
            for (MigrationBatch b : claimedByOthers) {
                if (casClaim(c, job.id(), b.batchNo(), b.rowVersion(), owner, lease)) {
                    return Optional.of(loadBatch(c, job.id(), b.batchNo()));
                }
            }
            return Optional.empty();
        });
    }

    private boolean casClaim(Connection c, String jobId, int batchNo, long rowVersion, String owner, Duration lease)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration_batch SET status = 'CLAIMED', owner = ?,"
                + " lease_until = ?, attempts = attempts + 1, row_version = row_version + 1"
                + " WHERE migration_id = ? AND batch_no = ? AND row_version = ? AND status <> 'DONE'")) {
            s.setString(1, owner);
            s.setObject(2, now().plus(lease));
            s.setString(3, jobId);
            s.setInt(4, batchNo);
            s.setLong(5, rowVersion);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Extends the lease of a batch {@code owner} holds.
     *
     * @return false if the batch was taken over by another node (stop working on it)
     */
    public boolean renew(MigrationBatch batch, String owner, Duration lease) {
        return db.write("renew the lease of batch " + batch.batchNo(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration_batch SET lease_until = ?"
                    + " WHERE migration_id = ? AND batch_no = ? AND status = 'CLAIMED' AND owner = ?")) {
                s.setObject(1, now().plus(lease));
                s.setString(2, batch.migrationId());
                s.setInt(3, batch.batchNo());
                s.setString(4, owner);
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Gives a batch {@code owner} holds back (PENDING), so another node or run can claim it at once. */
    public void release(MigrationBatch batch, String owner) {
        db.write("release batch " + batch.batchNo() + " of migration " + batch.migrationId(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration_batch SET status = 'PENDING',"
                    + " lease_until = NULL, row_version = row_version + 1"
                    + " WHERE migration_id = ? AND batch_no = ? AND status = 'CLAIMED' AND owner = ?")) {
                s.setString(1, batch.migrationId());
                s.setInt(2, batch.batchNo());
                s.setString(3, owner);
                return s.executeUpdate();
            }
        });
    }

    /**
     * Marks a batch {@code owner} holds DONE with its counters and adds them to the job, in one transaction.
     *
     * @return false if the batch was taken over by another node (nothing recorded; it will record its own counts)
     */
    public boolean done(MigrationBatch batch, String owner, ValueCounts counts) {
        return db.write("record batch " + batch.batchNo() + " of migration " + batch.migrationId(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration_batch SET status = 'DONE',"
                    + " lease_until = NULL, records = ?, migrated = ?, already_target = ?, null_values = ?,"
                    + " plaintext_values = ?, encrypted_plaintext = ?, changed_by_app = ?, unreadable = ?, done_by = ?,"
                    + " done_at = ?, row_version = row_version + 1"
                    + " WHERE migration_id = ? AND batch_no = ? AND status = 'CLAIMED' AND owner = ?")) {
                int i = bindCounts(s, 1, counts);
                s.setString(i++, owner);
                s.setObject(i++, now());
                s.setString(i++, batch.migrationId());
                s.setInt(i++, batch.batchNo());
                s.setString(i, owner);
                if (s.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration SET records = records + ?,"
                    + " migrated = migrated + ?, already_target = already_target + ?, null_values = null_values + ?,"
                    + " plaintext_values = plaintext_values + ?, encrypted_plaintext = encrypted_plaintext + ?,"
                    + " changed_by_app = changed_by_app + ?, unreadable = unreadable + ?, row_version = row_version + 1"
                    + " WHERE id = ?")) {
                int i = bindCounts(s, 1, counts);
                s.setString(i, batch.migrationId());
                s.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Completes a job whose batches are all DONE and records its reference scan, in one transaction.
     *
     * @return false if it was completed by another node first, or has batches not DONE
     */
    public boolean complete(MigrationJob job, SourceScan scan) {
        return db.write("complete migration " + job.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_migration SET status = 'COMPLETED',"
                    + " running_source = NULL, completed_at = ?, ref_plaintext = ?, ref_unreadable = ?,"
                    + " row_version = row_version + 1 WHERE id = ? AND status = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM"
                    + " dataenc_migration_batch b WHERE b.migration_id = ? AND b.status <> 'DONE')")) {
                s.setObject(1, now());
                s.setLong(2, scan.plaintext());
                s.setLong(3, scan.malformed());
                s.setString(4, job.id());
                s.setString(5, job.id());
                if (s.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_migration_refs (migration_id, cdk_id,"
                    + " value_count, blob_count) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<CdkId, Long> e : scan.perCdk().entrySet()) {
                    s.setString(1, job.id());
                    s.setString(2, e.getKey().toString());
                    s.setLong(3, e.getValue());
                    s.setLong(4, scan.blobsPerCdk().getOrDefault(e.getKey(), 0L));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return true;
        });
    }

    private boolean isPostgres() {
        Boolean p = postgres;
        if (p == null) {
            p = db.read("read the database product", c -> c.getMetaData().getDatabaseProductName()
                    .toLowerCase(java.util.Locale.ROOT).contains("postgres"));
            postgres = p;
        }
        return p;
    }

    private static int bindCounts(PreparedStatement s, int from, ValueCounts n) throws SQLException {
        long[] v = {n.records(), n.migrated(), n.alreadyTarget(), n.nulls(), n.plaintext(), n.encryptedPlaintext(),
            n.changedByApp(), n.unreadable()};
        for (long x : v) {
            s.setLong(from++, x);
        }
        return from;
    }

    private static ValueCounts countsAt(ResultSet rs, int from) throws SQLException {
        return new ValueCounts(rs.getLong(from), rs.getLong(from + 1), rs.getLong(from + 2), rs.getLong(from + 3),
                rs.getLong(from + 4), rs.getLong(from + 5), rs.getLong(from + 6), rs.getLong(from + 7));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static List<MigrationJob> loadJobs(Connection c, String where, String param) throws SQLException {
        List<MigrationJob> jobs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM dataenc_migration" + where
                + " ORDER BY started_at, id")) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new MigrationJob(rs.getString(1), rs.getString(2), CdkId.parse(rs.getString(3)),
                            MigrationMode.valueOf(rs.getString(4)), MigrationStatus.valueOf(rs.getString(5)), rs.getInt(6),
                            rs.getInt(7), rs.getLong(8), countsAt(rs, 9), rs.getString(17), instant(rs, 18),
                            instant(rs, 19), rs.getString(20)));
                }
            }
        }
        return jobs;
    }

    private static MigrationBatch loadBatch(Connection c, String jobId, int batchNo) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + BATCH_COLUMNS + " FROM dataenc_migration_batch"
                + " WHERE migration_id = ? AND batch_no = ?")) {
            s.setString(1, jobId);
            s.setInt(2, batchNo);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return batchAt(rs);
            }
        }
    }

    private static List<MigrationBatch> loadBatches(Connection c, String jobId, String and) throws SQLException {
        List<MigrationBatch> batches = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + BATCH_COLUMNS + " FROM dataenc_migration_batch"
                + " WHERE migration_id = ?" + and + " ORDER BY batch_no")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    batches.add(batchAt(rs));
                }
            }
        }
        return batches;
    }

    private static MigrationBatch batchAt(ResultSet rs) throws SQLException {
        return new MigrationBatch(rs.getString(1), rs.getInt(2), new KeyRange(rs.getString(3), rs.getString(4)),
                BatchStatus.valueOf(rs.getString(5)), rs.getString(6), instant(rs, 7), rs.getInt(8), countsAt(rs, 9),
                rs.getString(17), rs.getLong(18));
    }

    @Override
    public String toString() {
        return "MigrationStore[" + db.displayUrl() + "]";
    }
}
