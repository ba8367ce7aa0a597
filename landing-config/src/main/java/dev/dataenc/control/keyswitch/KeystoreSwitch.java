package dev.dataenc.control.keyswitch;

import dev.dataenc.envelope.VerifiedUnwrap;
import dev.dataenc.control.ControlState;
import dev.dataenc.control.KeystoreSet;
import dev.dataenc.control.guard.CipherTypeGuard;
import dev.dataenc.control.guard.GuardResult;
import dev.dataenc.control.guard.StrandedCdkGuard;
import dev.dataenc.control.guard.SwitchGuard;
import dev.dataenc.control.guard.TargetKeystoreGuard;
import dev.dataenc.control.lifecycle.CdkUsageStore;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.CipherType;
import dev.dataenc.envelope.CdkUnwrapper;
import dev.dataenc.envelope.OperationObserver;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.ReWrapper;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Changes the active keystore as a persisted job that any process can resume after a crash:
 * <ol>
 *   <li>the {@linkplain SwitchGuard guards} check the target and every CDK; a refusal changes nothing;</li>
 *   <li>a new CDK is generated under the target and made ACTIVE in the registry step that stores it
 *       (its id is chosen and persisted first, so a retry never makes two);</li>
 *   <li>every CDK in use gets a wrapping under the target's master key: unwrapped with any keystore
 *       that can, wrapped under the target, verified by unwrapping, stored beside the old wrappings;</li>
 *   <li>the job completes and the target becomes the registry's active keystore.</li>
 * </ol>
 * Each step is persisted before the next begins; re-running a step is harmless (adding a wrapping is
 * idempotent). Data is never re-encrypted: keystore calls are proportional to the number of CDKs.
 * One unfinished switch exists at a time across all nodes; a second caller for the same target
 * waits for it (or takes it over when its owner's lease has run out or its process is gone).
 */
public final class KeystoreSwitch {

    private final JdbcCdkRegistry registry;
    private final OperationObserver observer;
    private final SwitchJobStore jobs;
    private final CdkUsageStore usage;
    private final JdbcAuditTrail audit;
    private final KeystoreSet keystores;
    private final List<SwitchGuard> guards;
    private final SwitchOwner owner;
    private final Duration lease;
    private final CrashPoint crash;
    private final SwitchProgress progress;
    private final Clock clock;

    /**
     * @param owner identity of this process for job leases
     * @param lease how long this process holds a job without renewing it
     */
    public KeystoreSwitch(JdbcCdkRegistry registry, SwitchJobStore jobs, CdkUsageStore usage, JdbcAuditTrail audit,
                          KeystoreSet keystores, SwitchOwner owner, Duration lease, CrashPoint crash,
                          SwitchProgress progress) {
        this(registry, jobs, usage, audit, keystores, owner, lease, crash, progress, List.of());
    }

    /**
     * As the other constructor, with guards run after the {@linkplain #defaultGuards() default ones}.
     */
    public KeystoreSwitch(JdbcCdkRegistry registry, SwitchJobStore jobs, CdkUsageStore usage, JdbcAuditTrail audit,
                          KeystoreSet keystores, SwitchOwner owner, Duration lease, CrashPoint crash,
                          SwitchProgress progress, List<SwitchGuard> extraGuards) {
        this(registry, jobs, usage, audit, keystores, owner, lease, crash, progress, extraGuards, OperationObserver.NONE);
    }

    /**
     * As the other constructors, reporting the target's {@code generate}, {@code wrap} and {@code rewrap} calls and the
     * re-wrap's {@code unwrap} calls to {@code observer}.
     */
    public KeystoreSwitch(JdbcCdkRegistry registry, SwitchJobStore jobs, CdkUsageStore usage, JdbcAuditTrail audit,
                          KeystoreSet keystores, SwitchOwner owner, Duration lease, CrashPoint crash,
                          SwitchProgress progress, List<SwitchGuard> extraGuards, OperationObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.keystores = Objects.requireNonNull(keystores, "keystores");
        List<SwitchGuard> all = new ArrayList<>(defaultGuards());
        all.addAll(extraGuards);
        this.guards = List.copyOf(all);
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.crash = crash == null ? CrashPoint.NONE : crash;
        this.progress = progress == null ? SwitchProgress.NONE : progress;
        this.clock = Clock.systemUTC();
    }

    /** The guards every switch passes: target keystore, stranded CDKs, cipher type. */
    public static List<SwitchGuard> defaultGuards() {
        return List.of(new TargetKeystoreGuard(), new StrandedCdkGuard(), new CipherTypeGuard());
    }

    /** Runs the guards and lists the work, changing nothing. */
    public SwitchPlan plan(String target) {
        ControlState state = state();
        SwitchRequest request = new SwitchRequest(state.activeKeystore(), state.cipherType(), target,
                cipherOf(target).orElse(state.cipherType()), keystores, registry.list(), usage.all());
        List<GuardResult> checks = new ArrayList<>();
        for (SwitchGuard g : guards) {
            checks.add(g.check(request));
        }
        List<CdkId> todo = new ArrayList<>();
        int done = 0;
        Optional<String> targetKeyId = keystores.get(target).map(k -> keystores.describe(target).masterKeyId());
        for (Cdk cdk : request.cdks()) {
            if (!cdk.status().protectsData()) {
                continue;
            }
            if (targetKeyId.isPresent() && hasTargetWrapping(cdk, target, targetKeyId.get())) {
                done++;
            } else {
                todo.add(cdk.id());
            }
        }
        return new SwitchPlan(state.activeKeystore(), target, checks, todo, done);
    }

    /**
     * Switches the active keystore to {@code target}, or finishes the unfinished switch to it. When
     * {@code target} is already active, first repairs any CDK in use that lacks a wrapping under it.
     *
     * @throws SwitchRefusedException if a guard refuses (nothing changed) or another switch is unfinished
     * @throws SwitchUnfinishedException if the switch started (or was resumed) but could not finish; the job stays
     */
    public SwitchOutcome switchTo(String target) {
        for (int attempt = 0; ; attempt++) {
            Optional<SwitchJob> running = jobs.running();
            if (running.isPresent()) {
                SwitchJob job = running.get();
                if (!job.target().equals(target)) {
                    String msg = "another keystore switch is unfinished (" + job.summary() + "); it must complete before a"
                            + " switch to '" + target + "' can start. It resumes on the next start of any node, or run"
                            + " 'dataenc switch " + job.target() + "' (or 'dataenc switch --cancel' to roll it back).";
                    audit.record(AuditAction.SWITCH_REFUSED, null, target, msg);
                    throw new SwitchRefusedException(msg);
                }
                return finishOrJoin(job);
            }
            ControlState state = state();
            if (state.activeKeystore().equals(target)) {
                return new SwitchOutcome(null, SwitchOutcome.How.ALREADY_ACTIVE, repairWrappings(target));
            }
            SwitchPlan plan = plan(target);
            if (!plan.allowed()) {
                SwitchRefusedException refused = new SwitchRefusedException(plan);
                audit.record(AuditAction.SWITCH_REFUSED, null, target, refused.getMessage());
                throw refused;
            }
            SwitchJob job;
            try {
                job = jobs.start(state.activeKeystore(), target, cipherOf(target).orElseThrow(), owner.actor(),
                        owner.id(), lease, (c, started) -> audit.record(c, AuditAction.SWITCH_STARTED, started.newCdkId(),
                                target, "from '" + started.source() + "' (" + state.cipherType() + ") to '" + target + "' ("
                                + started.targetCipher() + "), job " + started.id() + ", " + plan.toRewrap().size()
                                + " CDKs to re-wrap"));
            } catch (RegistryConflictException e) {
                if (attempt > 5) {
                    throw e;
                }
                continue; // another node started a switch (or rotated) at the same moment: look at it again
            }
            SwitchJob started = job;
            return unfinishedOnFailure(started, () -> {
                crash.reached("job-started");
                return execute(started, SwitchOutcome.How.COMPLETED);
            });
        }
    }

    /**
     * Gives every CDK in use a verified wrapping under {@code keystoreName} without changing the
     * active keystore (phase 1 of a cipher transition: the new keystore can then decrypt everything).
     * Idempotent: CDKs that already have such a wrapping are skipped, so re-running after a crash
     * finishes the work.
     *
     * @return CDKs wrapped by this call
     */
    public int wrapEveryCdkUnder(String keystoreName) {
        Keystore target = keystores.get(keystoreName).orElseThrow(() -> new KeystoreUnavailableException(keystoreName,
                MasterKeyState.UNAVAILABLE, "keystore '" + keystoreName + "' is not configured or cannot be opened"
                + keystores.failure(keystoreName).map(e -> " (" + e.getMessage() + ")").orElse("")));
        return rewrapMissing(target, w -> "added a verified wrapping under master key '" + w.masterKeyId()
                + "' (the active keystore is unchanged)");
    }

    /**
     * Re-wraps, under the active keystore {@code target}, every CDK in use that lacks a wrapping under it (a
     * state an older version could leave when a rotation raced a switch). Nothing to do, or the keystore not
     * available here: 0.
     */
    private int repairWrappings(String target) {
        Optional<Keystore> ks = keystores.get(target);
        if (ks.isEmpty()) {
            return 0;
        }
        return rewrapMissing(ks.get(), w -> "repair: the active keystore '" + target + "' had no wrapping of this CDK in"
                + " use; added a verified one under master key '" + w.masterKeyId() + "'");
    }

    private int rewrapMissing(Keystore target, java.util.function.Function<Wrapping, String> detail) {
        String targetKeyId = target.describe().masterKeyId();
        CdkUnwrapper unwrapper = new CdkUnwrapper(keystores.opened(), observer);
        List<Cdk> todo = new ArrayList<>();
        for (Cdk cdk : registry.list()) {
            if (cdk.status().protectsData() && !hasTargetWrapping(cdk, target.name(), targetKeyId)) {
                todo.add(cdk);
            }
        }
        int[] wrapped = {0};
        BoundedRewrap.run(todo, BoundedRewrap.concurrency(target, keystores.opened(), todo),
                cdk -> wrapOne(cdk, target, unwrapper), batch -> {
                    registry.inTransaction("add wrappings under '" + target.name() + "' to " + batch.size() + " CDK(s)",
                            c -> {
                                store(c, batch, target, w -> detail.apply(w.wrapping()));
                                return null;
                            });
                    for (int i = 0; i < batch.size(); i++) {
                        wrapped[0]++;
                        crash.reached("cdk-rewrapped");
                    }
                });
        return wrapped[0];
    }

    /** Finishes an unfinished switch if there is one (called on start). */
    public Optional<SwitchOutcome> resumePending() {
        return jobs.running().map(this::finishOrJoin);
    }

    /**
     * Rolls back the unfinished switch: its new CDK becomes RETIRED, the CDK that was ACTIVE before it is
     * ACTIVE again and the source stays the active keystore; job, CDKs and audit entry change in one
     * transaction. Wrappings already added under the target stay (harmless).
     *
     * @return the CANCELLED job
     * @throws SwitchRefusedException if no switch is unfinished, another live process is running it, or its new CDK
     *                                has encrypted data already (then only resuming is safe); nothing changed
     */
    public SwitchJob cancel() {
        SwitchJob job = jobs.running().orElseThrow(() -> new SwitchRefusedException("no keystore switch is unfinished;"
                + " there is nothing to cancel ('dataenc status' shows the last switch)"));
        if (job.owner() != null && !owner.id().equals(job.owner()) && !jobs.leaseExpired(job)
                && !SwitchOwner.isGone(job.owner())) {
            throw refuseCancel(job, "it is being run right now by " + job.owner() + " (lease until " + job.leaseUntil()
                    + "); let it finish, or stop that process and cancel again after its lease ran out");
        }
        CdkId newId = job.newCdkId();
        Optional<Cdk> newCdk = newId == null ? Optional.empty() : registry.find(newId);
        Optional<Cdk> previous = Optional.empty();
        if (newCdk.isPresent() && newCdk.get().status() == CdkStatus.ACTIVE) {
            previous = registry.list().stream()
                    .filter(c -> c.status() == CdkStatus.DECRYPT_ONLY && c.wrappingBy(job.source()).isPresent()
                            && c.decryptOnlySince() != null)
                    .max(java.util.Comparator.comparing(Cdk::decryptOnlySince).thenComparing(Cdk::createdAt));
            if (previous.isEmpty()) {
                throw refuseCancel(job, "no DECRYPT_ONLY CDK wrapped by '" + job.source() + "' is left to make ACTIVE"
                        + " again; fix keystore '" + job.target() + "' and resume with 'dataenc switch " + job.target() + "'");
            }
        }
        Optional<Cdk> restore = previous;
        boolean rollBackCdk = restore.isPresent();
        return jobs.cancel(job, (c, cancelled) -> {
            if (rollBackCdk) {
                long used = SwitchJobStore.encryptions(c, newId);
                if (used > 0) {
                    throw refuseCancel(job, "its new CDK " + newId + " has encrypted " + used + " value(s) or BLOB(s)"
                            + " already, which only a wrapping under '" + job.target() + "' can read; fix keystore '"
                            + job.target() + "' and resume with 'dataenc switch " + job.target() + "'");
                }
                registry.updateStatus(c, newId, CdkStatus.ACTIVE, CdkStatus.RETIRED);
                registry.updateStatus(c, restore.get().id(), CdkStatus.DECRYPT_ONLY, CdkStatus.ACTIVE);
            }
            audit.record(c, AuditAction.SWITCH_CANCELLED, newId, job.target(), "switch '" + job.source() + "' -> '"
                    + job.target() + "' cancelled in phase " + job.phase() + ", job " + job.id() + (rollBackCdk
                    ? "; its new CDK " + newId + " (no encryptions recorded) is RETIRED, " + restore.get().id()
                    + " is ACTIVE again" : "; no new CDK had been activated") + "; '" + job.source()
                    + "' stays the active keystore");
        });
    }

    private SwitchRefusedException refuseCancel(SwitchJob job, String why) {
        return new SwitchRefusedException("cannot cancel keystore " + job.summary() + ": " + why);
    }

    private SwitchOutcome finishOrJoin(SwitchJob seen) {
        Instant waitingSince = clock.instant();
        SwitchJob job = seen;
        while (true) {
            job = jobs.find(job.id()).orElseThrow();
            if (job.phase() == SwitchPhase.COMPLETED) {
                return new SwitchOutcome(job, SwitchOutcome.How.JOINED, 0);
            }
            if (job.phase() == SwitchPhase.CANCELLED) {
                throw new SwitchRefusedException("keystore " + job.summary() + " was cancelled by an admin meanwhile;"
                        + " '" + job.source() + "' stays the active keystore. Start a new switch if still wanted.");
            }
            boolean mine = owner.id().equals(job.owner());
            if (mine || job.owner() == null || jobs.leaseExpired(job) || SwitchOwner.isGone(job.owner())) {
                SwitchJob previous = job;
                SwitchJob claimed;
                try {
                    claimed = jobs.claim(job, owner.id(), lease, (c, j) -> audit.record(c, AuditAction.SWITCH_RESUMED,
                            j.newCdkId(), j.target(), "job " + j.id() + " in phase " + j.phase()
                            + ", previously worked on by " + previous.owner()));
                } catch (RegistryConflictException e) {
                    continue; // someone else claimed or advanced it: look again
                }
                return unfinishedOnFailure(claimed, () -> execute(claimed, SwitchOutcome.How.RESUMED));
            }
            if (Duration.between(waitingSince, clock.instant()).compareTo(lease.multipliedBy(4)) > 0) {
                throw new SwitchUnfinishedException(job, new DataEncException("it is still being run by another"
                        + " process; waited " + Duration.between(waitingSince, clock.instant()).toSeconds() + " s"));
            }
            sleep(Math.max(50, Math.min(1000, lease.toMillis() / 10)));
        }
    }

    /** Runs {@code work} on a job that exists; any failure says so, and how to resume or cancel it. */
    private SwitchOutcome unfinishedOnFailure(SwitchJob job, java.util.function.Supplier<SwitchOutcome> work) {
        try {
            return work.get();
        } catch (SwitchUnfinishedException | SwitchRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SwitchUnfinishedException(job, e); // no registry read here: it may be what failed
        }
    }

    private SwitchOutcome execute(SwitchJob start, SwitchOutcome.How how) {
        SwitchJob job = start;
        Keystore target = keystores.get(job.target()).orElseThrow(() -> new KeystoreUnavailableException(start.target(),
                MasterKeyState.UNAVAILABLE, "the switch to keystore '" + start.target() + "' cannot continue: it is not"
                + " configured or cannot be opened here" + keystores.failure(start.target()).map(e -> " (" + e.getMessage()
                + ")").orElse("") + ". Fix its configuration; the switch resumes where it stopped."));
        int rewrapped = 0;
        if (job.phase() == SwitchPhase.STARTED) {
            job = activateNewCdk(job, target);
            crash.reached("cdk-activated");
        }
        String targetKeyId = target.describe().masterKeyId();
        for (int round = 0; ; round++) {
            if (job.phase() == SwitchPhase.CDK_ACTIVATED || round > 0) {
                rewrapped += rewrapRound(job, target, targetKeyId);
                job = jobs.find(job.id()).orElseThrow();
                if (job.phase() == SwitchPhase.CDK_ACTIVATED) {
                    job = jobs.advance(job, SwitchPhase.REWRAPPED, job.cdksTotal(), job.cdksRewrapped(), lease);
                    crash.reached("rewrapped");
                }
            }
            SwitchJob ready = job;
            try {
                job = jobs.complete(ready, targetKeyId, (c, done) -> audit.record(c, AuditAction.SWITCH_COMPLETED,
                        done.newCdkId(), done.target(), "'" + done.source() + "' -> '" + done.target() + "', "
                        + done.cdksRewrapped() + "/" + done.cdksTotal() + " CDKs wrapped under the target, job " + done.id()));
                crash.reached("completed");
                return new SwitchOutcome(job, how, rewrapped);
            } catch (WrappingsMissingException missing) {
                if (round >= 10) {
                    throw missing;
                }
                // a CDK was activated while this switch re-wrapped: re-read the CDKs and wrap it too
            }
        }
    }

    /**
     * One pass over the registry: every CDK in use without a wrapping under the target gets one. The keystore calls
     * run on up to {@link BoundedRewrap#concurrency} threads; this thread stores the verified wrappings that are
     * ready (one, or a few when concurrent) in one transaction with the job's progress and lease renewal, so the
     * count never runs ahead of the registry and a process that lost the job stores nothing more.
     */
    private int rewrapRound(SwitchJob start, Keystore target, String targetKeyId) {
        List<Cdk> todo = new ArrayList<>();
        int inUse = 0;
        for (Cdk cdk : registry.list()) {
            if (!cdk.status().protectsData()) {
                continue;
            }
            inUse++;
            if (!hasTargetWrapping(cdk, target.name(), targetKeyId)) {
                todo.add(cdk);
            }
        }
        int total = inUse;
        int[] done = {total - todo.size()};
        SwitchJob[] job = {jobs.advance(start, start.phase(), total, done[0], lease)};
        progress.rewrapStarted(total, done[0]);
        CdkUnwrapper unwrapper = new CdkUnwrapper(keystores.opened(), observer);
        String jobId = start.id();
        BoundedRewrap.run(todo, BoundedRewrap.concurrency(target, keystores.opened(), todo),
                cdk -> wrapOne(cdk, target, unwrapper), batch -> {
                    job[0] = jobs.advance(job[0], job[0].phase(), total, done[0] + batch.size(), lease,
                            (c, j) -> store(c, batch, target, w -> "added a verified wrapping under master key '"
                                    + w.wrapping().masterKeyId() + "'" + (w.wrapping().masterKeyVersion().isEmpty() ? ""
                                    : " version " + w.wrapping().masterKeyVersion()) + " beside "
                                    + w.cdk().wrappings().size() + " existing; job " + jobId));
                    for (int i = 0; i < batch.size(); i++) {
                        done[0]++;
                        progress.rewrapped(done[0], total);
                        crash.reached("cdk-rewrapped");
                    }
                });
        progress.rewrapFinished();
        return todo.size();
    }

    /**
     * Generates the job's new CDK under the target and, in one transaction holding the control row's lock,
     * makes it ACTIVE, records its audit entry and moves the job to CDK_ACTIVATED.
     */
    private SwitchJob activateNewCdk(SwitchJob job, Keystore target) {
        CdkId id = job.newCdkId();
        if (registry.find(id).isPresent()) {
            return jobs.advance(job, SwitchPhase.CDK_ACTIVATED, 0, 0, lease); // activated by an older version before a crash
        }
        try (GeneratedDataKey generated = observer.timedKeystoreCall(target.name(), "generate",
                () -> target.generateDataKey(id))) {
            crash.reached("cdk-generated");
            Cdk cdk = Cdk.generated(generated, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            return jobs.advance(job, SwitchPhase.CDK_ACTIVATED, 0, 0, lease, (c, j) -> {
                CdkId expected = registry.findActiveId(c).orElse(null);
                registry.activate(c, cdk, expected);
                audit.record(c, AuditAction.CDK_GENERATED, id, target.name(), "new ACTIVE CDK for switch job " + j.id()
                        + (expected == null ? "" : "; the previous ACTIVE CDK " + expected + " is DECRYPT_ONLY"));
            });
        }
    }

    /**
     * Wraps {@code cdk} under {@code target} and verifies it, storing nothing; then step {@code cdk-wrapped}. Runs on
     * a re-wrap worker thread when the re-wrap is concurrent.
     */
    private Wrapping wrapOne(Cdk cdk, Keystore target, CdkUnwrapper unwrapper) {
        Wrapping wrapping = wrapVerified(cdk, target, unwrapper);
        crash.reached("cdk-wrapped");
        return wrapping;
    }

    /** Stores verified wrappings, each with its audit entry, in the caller's transaction ({@code c}). */
    private void store(java.sql.Connection c, List<BoundedRewrap.Wrapped> batch, Keystore target,
                       java.util.function.Function<BoundedRewrap.Wrapped, String> detail) throws java.sql.SQLException {
        for (BoundedRewrap.Wrapped w : batch) {
            if (registry.addWrapping(c, w.cdk().id(), w.wrapping())) {
                audit.record(c, AuditAction.CDK_REWRAPPED, w.cdk().id(), target.name(), detail.apply(w));
            }
        }
    }

    private Wrapping wrapVerified(Cdk cdk, Keystore target, CdkUnwrapper unwrapper) {
        if (target instanceof ReWrapper inPlace) {
            Optional<Wrapping> done = rewrapInPlace(cdk, target, inPlace);
            if (done.isPresent()) {
                return done.get();
            }
        }
        try (DataKey key = unwrapper.unwrap(cdk)) {
            Wrapping wrapping = observer.timedKeystoreCall(target.name(), "wrap", () -> target.wrap(key));
            try (DataKey check = VerifiedUnwrap.unwrap(target, cdk, wrapping)) {
                if (!check.sameKeyAs(key)) {
                    throw new WrappedKeyException("keystore '" + target.name() + "' did not give back CDK " + cdk.id()
                            + " when verifying its new wrapping; the wrapping was not stored. Check the keystore.");
                }
            }
            return wrapping;
        }
    }

    /**
     * Re-wraps inside the key service (e.g. KMS ReEncrypt) when the target can do it for one of the
     * CDK's wrappings: the plaintext never reaches this process. Verified by unwrapping under the
     * target (authenticated for this CDK id). Empty when no wrapping can be re-wrapped in place.
     */
    private Optional<Wrapping> rewrapInPlace(Cdk cdk, Keystore target, ReWrapper inPlace) {
        for (Wrapping source : cdk.wrappings()) {
            Optional<Wrapping> wrapped;
            try {
                wrapped = observer.timedKeystoreCall(target.name(), "rewrap", () -> inPlace.rewrapFrom(cdk.id(), source));
            } catch (DataEncException e) {
                continue; // e.g. the source key is disabled: the unwrap path tries the other wrappings
            }
            if (wrapped.isPresent()) {
                if (cdk.checkValue() == null) {
                    continue; // a legacy CDK (no check value): an in-place re-wrap cannot be verified; unwrap instead
                }
                try (DataKey check = VerifiedUnwrap.unwrap(target, cdk, wrapped.get())) {
                    if (!cdk.id().equals(check.cdkId())) {
                        throw new WrappedKeyException("keystore '" + target.name() + "' re-wrapped CDK " + cdk.id()
                                + " into a wrapping of another CDK; it was not stored. Check the keystore.");
                    }
                }
                return wrapped;
            }
        }
        return Optional.empty();
    }

    private ControlState state() {
        return jobs.state().orElseThrow(() -> new DataEncException("the CDK registry has no active keystore recorded yet;"
                + " start the control plane once with a configuration to initialise it"));
    }

    private Optional<CipherType> cipherOf(String keystore) {
        KeystoreSettings s = keystores.settings().get(keystore);
        return s == null ? Optional.empty() : Optional.of(CipherType.ofKeystoreType(s.type()));
    }

    static boolean hasTargetWrapping(Cdk cdk, String targetName, String targetKeyId) {
        for (Wrapping w : cdk.wrappings()) {
            if (w.keystoreName().equals(targetName) && w.masterKeyId().equals(targetKeyId)) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataEncException("interrupted while waiting for another process's keystore switch", e);
        }
    }
}
