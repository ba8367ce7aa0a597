package dev.dataenc.migrate;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchOwner;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.RegistryConflictException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Re-encrypts the values of a {@link RecordSource} to the ACTIVE CDK (data key rotation with
 * re-encryption), or encrypts a plaintext column ({@link MigrationMode#ENCRYPT_PLAINTEXT}).
 *
 * <p>{@link #run} plans a persisted job (target = the ACTIVE CDK now; the key space split into
 * batches) or picks up the unfinished job of the same source, then claims batches until none is
 * left. Several nodes may run the same migration at once against one PostgreSQL registry: each
 * claims its own batches. A node that dies leaves its batch to the others (lease expiry, or at once
 * when its process on this host is gone). Killed anywhere, the same call resumes from the last
 * DONE batch; a half-done batch is redone safely (values already under the target are skipped by
 * CDK id, the rest are protected by compare-and-set). When every batch is done, the source is scanned
 * once more and the per-CDK {@link ReferenceScan} is recorded with the completion.
 *
 * <p>Keystore calls are O(number of CDKs): keys come from the control plane's CDK cache.
 */
public final class Migration {

    /**
     * How this node takes part.
     *
     * @param lease    how long a claimed batch is held without renewal (renewed after a write chunk once a tenth of
     *                 it has passed, {@link LeaseRenewal})
     * @param progress told about progress
     * @param crash    hook for tests ({@code job-planned}, {@code batch-claimed}, {@code record},
     *                 {@code chunk-written}, {@code batch-done}, {@code completed}), or {@link CrashPoint#NONE}
     */
    public record Options(Duration lease, MigrationProgress progress, CrashPoint crash) {

        public Options {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(crash, "crash");
        }

        /** Lease of 2 minutes, no progress, no crash point. */
        public static Options defaults() {
            return new Options(Duration.ofMinutes(2), MigrationProgress.NONE, CrashPoint.NONE);
        }

        /** This with another progress listener. */
        public Options withProgress(MigrationProgress p) {
            return new Options(lease, p, crash);
        }

        /** This with another crash point. */
        public Options withCrash(CrashPoint c) {
            return new Options(lease, progress, c);
        }

        /** This with another lease. */
        public Options withLease(Duration l) {
            return new Options(l, progress, crash);
        }
    }

    private final ControlPlane plane;
    private final MigrationStore store;
    private final Options options;
    private final SwitchOwner owner;
    private boolean identityRewrite;

    /** A migration through {@code plane}'s cipher, registry and audit trail, with default options. */
    public Migration(ControlPlane plane) {
        this(plane, Options.defaults());
    }

    public Migration(ControlPlane plane, Options options) {
        this.plane = Objects.requireNonNull(plane, "plane");
        this.options = Objects.requireNonNull(options, "options");
        this.store = new MigrationStore(plane.database());
        this.owner = SwitchOwner.thisProcess("dataenc-migrate");
    }

    /**
     * Benchmarks only, and reachable only from this package (no configuration or CLI option leads here): the same
     * engine over the same records, with the crypto replaced by an identity re-write. Each value that would be
     * re-encrypted is read as usual and written back unchanged by the same compare-and-set, in the same batches and
     * write chunks, so that a benchmark shows what the crypto costs. Values stay under their old CDKs.
     */
    Migration identityRewrite() {
        this.identityRewrite = true;
        return this;
    }

    /** The persisted jobs and batches. */
    public MigrationStore store() {
        return store;
    }

    /** This node's lease owner id ({@code host:pid:random}). */
    public String ownerId() {
        return owner.id();
    }

    /** A dry run: counts the source's values per CDK and what a run would write. Writes nothing. */
    public MigrationPlan plan(MigrationRequest request) {
        CdkId target = activeCdk();
        SourceSurvey survey = SourceSurvey.of(request.source());
        SourceScan scan = survey.scan();
        long toWrite = scan.notUnder(target) + (request.mode() == MigrationMode.ENCRYPT_PLAINTEXT ? scan.plaintext() : 0);
        int batches = (int) Math.max(1, (scan.records() + request.batchSize() - 1) / request.batchSize());
        return new MigrationPlan(request.source().name(), target, request.mode(), scan, toWrite, batches,
                store.running(request.source().name()), check(request, survey));
    }

    private TextCiphers texts() {
        return new TextCiphers(plane.propertyCipher(), plane.deterministicCipher());
    }

    private ContextCheck check(MigrationRequest request, SourceSurvey survey) {
        return ContextCheck.of(texts(), new BinaryReencryption(plane.propertyCipher(), plane.blobCipher(),
                request.source()), request.source().columns(), survey.samples(), request.fromContext());
    }

    /**
     * Migrates the source: starts a job, or resumes (or joins) the unfinished one of the same source,
     * and works on its batches until every batch is done.
     *
     * @throws MigrationException if the unfinished job has another mode, or a value cannot be verified
     * @throws RecordSourceException if the source cannot be read or written
     */
    public MigrationResult run(MigrationRequest request) {
        RecordSource source = request.source();
        // the new ciphertexts a killed migration left in java.io.tmpdir (never those of a live one)
        OwnedTempFiles.migration().removeStale(OwnedTempFiles.migration().lockDir());
        MigrationJob job = null;
        boolean resumed = false;
        for (int attempt = 0; job == null; attempt++) {
            Optional<MigrationJob> running = store.running(source.name());
            if (running.isPresent()) {
                job = running.get();
                resumed = true;
                if (job.mode() != request.mode()) {
                    throw new MigrationException("the unfinished " + job.summary() + " runs in mode " + job.mode()
                            + "; run it again in that mode to finish it before a " + request.mode() + " migration");
                }
                if (!Objects.equals(job.fromContext(), request.fromContext())) {
                    throw new MigrationException("the unfinished " + job.summary() + (job.fromContext() == null
                            ? " does not re-bind; run it again without --from-context to finish it first"
                            : " re-binds from context '" + job.fromContext() + "'; run it again with --from-context "
                            + job.fromContext() + " to finish it first"));
                }
                Map<BatchStatus, Integer> t = store.tally(job.id());
                plane.audit().record(AuditAction.MIGRATION_RESUMED, job.target(), null, "job " + job.id() + " of "
                        + source.name() + ", " + t.get(BatchStatus.DONE) + "/" + job.batchesTotal() + " batches done, "
                        + t.get(BatchStatus.CLAIMED) + " claimed");
                break;
            }
            CdkId target = activeCdk();
            SourceSurvey survey = SourceSurvey.of(source);
            ContextCheck check = check(request, survey);
            if (!check.passed()) {
                throw new MigrationException("refused, nothing was written: " + check.diagnosis());
            }
            List<String> bounds = source.boundaries(request.batchSize());
            long estimate = source.count();
            try {
                job = store.create(source.name(), target, request.mode(), request.batchSize(), bounds, estimate,
                        owner.actor(), survey.scan().perCdk(), survey.scan().blobsPerCdk(), request.fromContext());
            } catch (RegistryConflictException e) {
                if (attempt >= 5) {
                    throw e;
                }
                continue; // another node planned it at the same moment: join it
            }
            plane.audit().record(AuditAction.MIGRATION_STARTED, target, null, "job " + job.id() + " of " + source.name()
                    + " (" + request.mode() + (request.fromContext() == null ? "" : ", re-binding from context '"
                    + request.fromContext() + "'") + "), " + estimate + " records in " + job.batchesTotal()
                    + " batches; values per CDK found " + survey.scan().perCdk() + "; context check: " + check.sampled()
                    + " sampled values decrypt");
            options.crash().reached("job-planned");
        }
        return work(job, resumed, request);
    }

    private MigrationResult work(MigrationJob job, boolean resumed, MigrationRequest request) {
        MigrationJob seen = job;
        options.progress().started(seen, seen.counts().records());
        ValueCounts mine = ValueCounts.ZERO;
        List<Integer> batches = new ArrayList<>();
        long poll = Math.max(50, Math.min(500, options.lease().toMillis() / 20));
        while (true) {
            long claimedAt = System.nanoTime();
            Optional<MigrationBatch> claimed = store.claim(job, owner.id(), options.lease());
            if (claimed.isPresent()) {
                MigrationBatch batch = claimed.get();
                options.crash().reached("batch-claimed");
                Optional<ValueCounts> counts;
                try {
                    counts = processBatch(job, batch, request, seen.counts().records(),
                            new LeaseRenewal(options.lease(), claimedAt, System::nanoTime));
                } catch (RuntimeException e) {
                    try {
                        store.release(batch, owner.id()); // a retry here, or another node, can take it at once
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
                if (counts.isPresent() && store.done(batch, owner.id(), counts.get())) {
                    mine = mine.plus(counts.get());
                    batches.add(batch.batchNo());
                    options.crash().reached("batch-done");
                }
                seen = store.find(job.id()).orElseThrow();
                options.progress().advanced(seen.counts().records(), seen.recordsEstimate());
                continue;
            }
            seen = store.find(job.id()).orElseThrow();
            if (seen.status() == MigrationStatus.COMPLETED) {
                return finish(seen, resumed, false, mine, batches);
            }
            Map<BatchStatus, Integer> t = store.tally(job.id());
            if (t.get(BatchStatus.PENDING) == 0 && t.get(BatchStatus.CLAIMED) == 0) {
                SourceScan scan = SourceScan.of(request.source());
                boolean completedHere = store.complete(job, scan);
                seen = store.find(job.id()).orElseThrow();
                if (completedHere) {
                    ValueCounts n = seen.counts();
                    plane.audit().record(AuditAction.MIGRATION_COMPLETED, seen.target(), null, "job " + seen.id() + " of "
                            + seen.source() + ": " + n.records() + " records, " + n.migrated() + " re-encrypted, "
                            + n.encryptedPlaintext() + " encrypted, " + n.alreadyTarget() + " already on target, "
                            + n.changedByApp() + " changed by the application, " + n.plaintext() + " not encrypted, "
                            + n.unreadable() + " unreadable; values per CDK now " + scan.perCdk());
                    options.crash().reached("completed");
                }
                return finish(seen, resumed, completedHere, mine, batches);
            }
            sleep(poll); // other nodes hold the remaining batches: wait for them, or for their leases to run out
        }
    }

    private Optional<ValueCounts> processBatch(MigrationJob job, MigrationBatch batch, MigrationRequest request,
                                               long doneBefore, LeaseRenewal lease) {
        Set<CdkId> current = new HashSet<>();
        current.add(job.target());
        plane.registry().findActive().map(Cdk::id).ifPresent(current::add);
        RecordProcessor processor = new RecordProcessor(texts(), plane.blobCipher(), request.source(), job.mode(),
                request.writeChunk(), current, options.crash(), job.fromContext(), identityRewrite);
        long[] done = {doneBefore};
        try {
            ValueCounts counts = processor.process(batch.range(), records -> {
                done[0] += records;
                options.progress().advanced(done[0], job.recordsEstimate());
                if (lease.due()) {
                    long at = lease.now();
                    if (!store.renew(batch, owner.id(), options.lease())) {
                        throw new LeaseLost();
                    }
                    lease.renewed(at);
                }
            });
            return Optional.of(counts);
        } catch (LeaseLost e) {
            return Optional.empty(); // another node took the batch over (our lease ran out): it redoes it safely
        }
    }

    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    private MigrationResult finish(MigrationJob job, boolean resumed, boolean completedHere, ValueCounts mine,
                                   List<Integer> batches) {
        Optional<ReferenceScan> scan = job.status() == MigrationStatus.COMPLETED
                ? new ReferenceScans(plane.database()).latestPerSource().stream()
                        .filter(s -> s.source().equals(job.source())).findFirst()
                : Optional.empty();
        MigrationResult result = new MigrationResult(job, resumed, completedHere, mine, batches, scan);
        options.progress().finished(result);
        return result;
    }

    private CdkId activeCdk() {
        return plane.registry().findActive().map(Cdk::id).orElseThrow(() -> new NoActiveCdkException(
                "there is no ACTIVE CDK to migrate to yet; start the application (or the control plane) once so that"
                        + " it generates one"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while waiting for other nodes' migration batches; run the"
                    + " migration again to resume it", e);
        }
    }

    @Override
    public String toString() {
        return "Migration[owner=" + owner.id() + "]";
    }
}
