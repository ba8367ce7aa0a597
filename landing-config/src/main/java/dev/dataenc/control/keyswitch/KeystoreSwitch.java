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
import dev.dataenc.audit.AuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.CipherType;
import dev.dataenc.envelope.CdkUnwrapper;
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

    private final CdkRegistry registry;
    private final SwitchJobStore jobs;
    private final CdkUsageStore usage;
    private final AuditTrail audit;
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
    public KeystoreSwitch(CdkRegistry registry, SwitchJobStore jobs, CdkUsageStore usage, AuditTrail audit,
                          KeystoreSet keystores, SwitchOwner owner, Duration lease, CrashPoint crash,
                          SwitchProgress progress) {
        this(registry, jobs, usage, audit, keystores, owner, lease, crash, progress, List.of());
    }

    /**
     * As the other constructor, with guards run after the {@linkplain #defaultGuards() default ones}.
     */
    public KeystoreSwitch(CdkRegistry registry, SwitchJobStore jobs, CdkUsageStore usage, AuditTrail audit,
                          KeystoreSet keystores, SwitchOwner owner, Duration lease, CrashPoint crash,
                          SwitchProgress progress, List<SwitchGuard> extraGuards) {
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
     * Switches the active keystore to {@code target}, or finishes the unfinished switch to it.
     *
     * @throws SwitchRefusedException if a guard refuses (nothing changed) or another switch is unfinished
     */
    public SwitchOutcome switchTo(String target) {
        for (int attempt = 0; ; attempt++) {
            Optional<SwitchJob> running = jobs.running();
            if (running.isPresent()) {
                SwitchJob job = running.get();
                if (!job.target().equals(target)) {
                    String msg = "another keystore switch is unfinished (" + job.summary() + "); it must complete before a"
                            + " switch to '" + target + "' can start. It resumes on the next start of any node, or run"
                            + " 'dataenc switch " + job.target() + "'.";
                    audit.record(AuditAction.SWITCH_REFUSED, null, target, msg);
                    throw new SwitchRefusedException(msg);
                }
                return finishOrJoin(job);
            }
            ControlState state = state();
            if (state.activeKeystore().equals(target)) {
                return new SwitchOutcome(null, SwitchOutcome.How.ALREADY_ACTIVE, 0);
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
                        owner.id(), lease);
            } catch (RegistryConflictException e) {
                if (attempt > 5) {
                    throw e;
                }
                continue; // another node started a switch at the same moment: look at it again
            }
            audit.record(AuditAction.SWITCH_STARTED, job.newCdkId(), target, "from '" + job.source() + "' (" + state.cipherType()
                    + ") to '" + target + "' (" + job.targetCipher() + "), job " + job.id() + ", "
                    + plan.toRewrap().size() + " CDKs to re-wrap");
            crash.reached("job-started");
            return execute(job, SwitchOutcome.How.COMPLETED);
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
        String targetKeyId = target.describe().masterKeyId();
        CdkUnwrapper unwrapper = new CdkUnwrapper(keystores.opened());
        int wrapped = 0;
        for (Cdk cdk : registry.list()) {
            if (cdk.status().protectsData() && !hasTargetWrapping(cdk, keystoreName, targetKeyId)) {
                Wrapping w = rewrap(cdk, target, unwrapper);
                audit.record(AuditAction.CDK_REWRAPPED, cdk.id(), keystoreName, "added a verified wrapping under master key '"
                        + w.masterKeyId() + "' (the active keystore is unchanged)");
                wrapped++;
            }
        }
        return wrapped;
    }

    /** Finishes an unfinished switch if there is one (called on start). */
    public Optional<SwitchOutcome> resumePending() {
        return jobs.running().map(this::finishOrJoin);
    }

    private SwitchOutcome finishOrJoin(SwitchJob seen) {
        Instant waitingSince = clock.instant();
        SwitchJob job = seen;
        while (true) {
            job = jobs.find(job.id()).orElseThrow();
            if (job.phase() == SwitchPhase.COMPLETED) {
                return new SwitchOutcome(job, SwitchOutcome.How.JOINED, 0);
            }
            boolean mine = owner.id().equals(job.owner());
            if (mine || job.owner() == null || jobs.leaseExpired(job) || SwitchOwner.isGone(job.owner())) {
                SwitchJob claimed;
                try {
                    claimed = jobs.claim(job, owner.id(), lease);
                } catch (RegistryConflictException e) {
                    continue; // someone else claimed or advanced it: look again
                }
                audit.record(AuditAction.SWITCH_RESUMED, claimed.newCdkId(), claimed.target(), "job " + claimed.id()
                        + " in phase " + claimed.phase() + ", previously worked on by " + job.owner());
                return execute(claimed, SwitchOutcome.How.RESUMED);
            }
            if (Duration.between(waitingSince, clock.instant()).compareTo(lease.multipliedBy(4)) > 0) {
                throw new DataEncException("keystore switch " + job.summary() + " is still being run by another process;"
                        + " waited " + Duration.between(waitingSince, clock.instant()).toSeconds() + " s. Check 'dataenc status'"
                        + " and run the command again later.");
            }
            sleep(Math.max(50, Math.min(1000, lease.toMillis() / 10)));
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
            activateNewCdk(job, target);
            crash.reached("cdk-activated");
            job = jobs.advance(job, SwitchPhase.CDK_ACTIVATED, 0, 0, lease);
        }
        if (job.phase() == SwitchPhase.CDK_ACTIVATED) {
            String targetKeyId = target.describe().masterKeyId();
            List<Cdk> todo = new ArrayList<>();
            int total = 0;
            for (Cdk cdk : registry.list()) {
                if (!cdk.status().protectsData()) {
                    continue;
                }
                total++;
                if (!hasTargetWrapping(cdk, target.name(), targetKeyId)) {
                    todo.add(cdk);
                }
            }
            int done = total - todo.size();
            job = jobs.advance(job, SwitchPhase.CDK_ACTIVATED, total, done, lease);
            progress.rewrapStarted(total, done);
            CdkUnwrapper unwrapper = new CdkUnwrapper(keystores.opened());
            for (Cdk cdk : todo) {
                Wrapping w = rewrap(cdk, target, unwrapper);
                audit.record(AuditAction.CDK_REWRAPPED, cdk.id(), target.name(), "added a verified wrapping under master key '"
                        + w.masterKeyId() + "'" + (w.masterKeyVersion().isEmpty() ? "" : " version " + w.masterKeyVersion())
                        + " beside " + cdk.wrappings().size() + " existing; job " + job.id());
                done++;
                rewrapped++;
                job = jobs.advance(job, SwitchPhase.CDK_ACTIVATED, total, done, lease);
                progress.rewrapped(done, total);
                crash.reached("cdk-rewrapped");
            }
            progress.rewrapFinished();
            job = jobs.advance(job, SwitchPhase.REWRAPPED, total, done, lease);
            crash.reached("rewrapped");
        }
        if (job.phase() == SwitchPhase.REWRAPPED) {
            job = jobs.complete(job);
            audit.record(AuditAction.SWITCH_COMPLETED, job.newCdkId(), job.target(), "'" + job.source() + "' -> '"
                    + job.target() + "', " + job.cdksRewrapped() + "/" + job.cdksTotal() + " CDKs wrapped under the target,"
                    + " job " + job.id());
            crash.reached("completed");
        }
        return new SwitchOutcome(job, how, rewrapped);
    }

    private void activateNewCdk(SwitchJob job, Keystore target) {
        CdkId id = job.newCdkId();
        if (registry.find(id).isPresent()) {
            return; // activated before a crash
        }
        try (GeneratedDataKey generated = target.generateDataKey(id)) {
            crash.reached("cdk-generated");
            Cdk cdk = Cdk.generated(generated, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            for (int attempt = 0; ; attempt++) {
                CdkId expected = registry.findActive().map(Cdk::id).orElse(null);
                try {
                    registry.activate(cdk, expected);
                    break;
                } catch (RegistryConflictException e) {
                    if (registry.find(id).isPresent()) {
                        break;
                    }
                    if (attempt >= 5) {
                        throw e;
                    }
                }
            }
            audit.record(AuditAction.CDK_GENERATED, id, target.name(), "new ACTIVE CDK for switch job " + job.id()
                    + "; the previous ACTIVE CDK is DECRYPT_ONLY");
        }
    }

    private Wrapping rewrap(Cdk cdk, Keystore target, CdkUnwrapper unwrapper) {
        if (target instanceof ReWrapper inPlace) {
            Optional<Wrapping> done = rewrapInPlace(cdk, target, inPlace);
            if (done.isPresent()) {
                return done.get();
            }
        }
        try (DataKey key = unwrapper.unwrap(cdk)) {
            Wrapping wrapping = target.wrap(key);
            try (DataKey check = VerifiedUnwrap.unwrap(target, cdk, wrapping)) {
                if (!check.sameKeyAs(key)) {
                    throw new WrappedKeyException("keystore '" + target.name() + "' did not give back CDK " + cdk.id()
                            + " when verifying its new wrapping; the wrapping was not stored. Check the keystore.");
                }
            }
            registry.addWrapping(cdk.id(), wrapping);
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
                wrapped = inPlace.rewrapFrom(cdk.id(), source);
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
                registry.addWrapping(cdk.id(), wrapped.get());
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
