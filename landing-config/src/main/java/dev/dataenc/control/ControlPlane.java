package dev.dataenc.control;

import dev.dataenc.control.guard.KeystoreRemovalGuard;
import dev.dataenc.control.guard.RefusedCipherGuard;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.KeystoreSwitch;
import dev.dataenc.control.keyswitch.SwitchJob;
import dev.dataenc.control.keyswitch.SwitchJobStore;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchOwner;
import dev.dataenc.control.keyswitch.SwitchPhase;
import dev.dataenc.control.keyswitch.SwitchPlan;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.control.lifecycle.BlobAttestations;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.lifecycle.CdkRetirement;
import dev.dataenc.control.lifecycle.CdkRotationPolicy;
import dev.dataenc.control.lifecycle.CdkUsageStore;
import dev.dataenc.control.lifecycle.CdkVerifier;
import dev.dataenc.control.lifecycle.DestructionAlarm;
import dev.dataenc.control.lifecycle.RetirementResult;
import dev.dataenc.control.lifecycle.RotationDue;
import dev.dataenc.control.lifecycle.UsageCountingKeySource;
import dev.dataenc.control.lifecycle.VerifyReport;
import dev.dataenc.control.lifecycle.WrappingRemoval;
import dev.dataenc.control.transition.CipherTransitionStore;
import dev.dataenc.control.transition.CipherTransitions;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditTrail;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkGenerator;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.CdkCache;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;
import dev.dataenc.registry.RegistryDatabase;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running control plane of one process: the configuration in force, the opened keystores, the
 * CDK registry, the audit trail, the CDK cache behind the data-plane ciphers, and the operations an
 * admin runs (switch, rotate, verify, remove wrappings). {@link #open} brings the registry in line
 * with the configuration: it initialises a new registry, resumes an unfinished switch, and starts a
 * switch when the configuration names another active keystore (a refused one leaves the registry's
 * active keystore in force and is reported by {@link #status()}).
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    /**
     * How this process takes part.
     *
     * @param tool        name for the audit trail ({@code app}, {@code dataenc-cli})
     * @param crash       crash point hook for tests, or {@link CrashPoint#NONE}
     * @param progress    told about re-wrap progress
     * @param usageFlush  how often encryption counts are added to the registry (and, when reconciling, how often the
     *                    rotation policy is checked)
     * @param reconcile   whether {@link #open} resumes an unfinished switch, switches to the configured active
     *                    keystore, generates the first CDK and rotates the ACTIVE CDK when the rotation policy says it
     *                    is due (true for applications; false for admin commands that only look, so that looking never
     *                    changes anything)
     * @param clock       the time for CDK creation and status-change times and the rotation policy (tests move it)
     */
    public record Options(String tool, CrashPoint crash, SwitchProgress progress, Duration usageFlush, boolean reconcile,
                          Clock clock) {

        public Options {
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(crash, "crash");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(usageFlush, "usageFlush");
            Objects.requireNonNull(clock, "clock");
        }

        /** Options on the system clock. */
        public Options(String tool, CrashPoint crash, SwitchProgress progress, Duration usageFlush, boolean reconcile) {
            this(tool, crash, progress, usageFlush, reconcile, Clock.systemUTC());
        }

        /** For a host application: reconciles on open. */
        public static Options app() {
            return new Options("app", CrashPoint.NONE, SwitchProgress.NONE, Duration.ofSeconds(5), true);
        }

        /** For an admin command: changes nothing on open. */
        public static Options admin(String tool) {
            return new Options(tool, CrashPoint.NONE, SwitchProgress.NONE, Duration.ofSeconds(5), false);
        }

        /** This with another progress listener. */
        public Options withProgress(SwitchProgress p) {
            return new Options(tool, crash, p, usageFlush, reconcile, clock);
        }

        /** This with another crash point. */
        public Options withCrash(CrashPoint c) {
            return new Options(tool, c, progress, usageFlush, reconcile, clock);
        }

        /** This with another tool name. */
        public Options withTool(String t) {
            return new Options(t, crash, progress, usageFlush, reconcile, clock);
        }

        /** This with reconciling on open switched on or off. */
        public Options withReconcile(boolean r) {
            return new Options(tool, crash, progress, usageFlush, r, clock);
        }

        /** This with another usage-flush (and rotation check) interval. */
        public Options withUsageFlush(Duration d) {
            return new Options(tool, crash, progress, d, reconcile, clock);
        }

        /** This with another clock. */
        public Options withClock(Clock c) {
            return new Options(tool, crash, progress, usageFlush, reconcile, c);
        }
    }

    private final RegistryDatabase db;
    private final JdbcCdkRegistry registry;
    private final SwitchJobStore jobs;
    private final CdkUsageStore usage;
    private final CipherTransitionStore transitions;
    private final AuditTrail audit;
    private final Options options;
    private final SwitchOwner owner;
    private final AtomicReference<CdkCache> cache = new AtomicReference<>();
    private final UsageCountingKeySource propertyKeys;
    private final UsageCountingKeySource blobKeys;
    private final PropertyCipher propertyCipher;
    private final BlobCipher blobCipher;
    private final ScheduledExecutorService flusher;
    private volatile DataEncConfig config;
    private volatile KeystoreSet keystores;
    private volatile String lastRefusal;
    private volatile String requestedActive;

    private ControlPlane(DataEncConfig config, RegistryDatabase db, KeystoreSet keystores, Options options) {
        this.config = config;
        this.requestedActive = config.activeKeystore();
        this.db = db;
        this.keystores = keystores;
        this.options = options;
        this.registry = new JdbcCdkRegistry(db, options.clock());
        this.jobs = new SwitchJobStore(db);
        this.usage = new CdkUsageStore(db);
        this.transitions = new CipherTransitionStore(db);
        this.owner = SwitchOwner.thisProcess(options.tool());
        this.audit = new JdbcAuditTrail(db, owner.actor());
        this.cache.set(new CdkCache(registry, keystores.opened(), config.cache()));
        this.propertyKeys = UsageCountingKeySource.over(cache, CdkUsageStore.Kind.PROPERTY);
        this.blobKeys = UsageCountingKeySource.over(cache, CdkUsageStore.Kind.BLOB);
        DestructionAlarm alarm = new DestructionAlarm(audit, options.clock());
        this.propertyKeys.onScheduledRefused(alarm);
        this.blobKeys.onScheduledRefused(alarm);
        this.propertyCipher = new PropertyCipher(propertyKeys);
        this.blobCipher = new BlobCipher(blobKeys);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dataenc-usage-flush");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the registry and keystores of {@code config} and reconciles the registry with it.
     *
     * @throws DataEncException if the registry cannot be opened or the active keystore cannot be opened
     */
    public static ControlPlane open(DataEncConfig config, Options options) {
        Objects.requireNonNull(config, "config");
        RegistryDatabase db = RegistryDatabase.open(config.registry().url(), config.registry().user(),
                config.registry().password());
        KeystoreSet keystores = KeystoreSet.open(config.keystores());
        ControlPlane plane = null;
        try {
            plane = new ControlPlane(config, db, keystores, options);
            plane.reconcile();
            long every = Math.max(100, options.usageFlush().toMillis());
            plane.flusher.scheduleWithFixedDelay(plane::periodic, every, every, TimeUnit.MILLISECONDS);
            return plane;
        } catch (RuntimeException e) {
            if (plane != null) {
                plane.close();
            } else {
                keystores.close();
                db.close();
            }
            throw e;
        }
    }

    private void reconcile() {
        keystores.failures().forEach((name, e) -> LOG.warn("keystore '{}' cannot be opened: {}", name, e.getMessage()));
        if (jobs.initState(config.activeKeystore(), config.cipherType())) {
            audit.record(AuditAction.CONTROL_INITIALIZED, null, config.activeKeystore(), "active keystore '"
                    + config.activeKeystore() + "', cipher type " + config.cipherType());
        }
        if (!options.reconcile()) {
            String active = jobs.state().orElseThrow().activeKeystore();
            if (keystores.isConfigured(active) && !active.equals(config.activeKeystore())) {
                config = config.withActiveKeystore(active);
            }
            return;
        }
        switcher().resumePending();
        ControlState state = jobs.state().orElseThrow();
        if (!state.activeKeystore().equals(config.activeKeystore())) {
            try {
                switcher().switchTo(config.activeKeystore());
            } catch (SwitchRefusedException e) {
                lastRefusal = "configuration asks for active keystore '" + config.activeKeystore() + "'; " + e.getMessage();
                audit.record(AuditAction.CONFIG_REFUSED, null, config.activeKeystore(), lastRefusal);
                config = config.withActiveKeystore(requireConfigured(state.activeKeystore()));
            }
        }
        String active = jobs.state().orElseThrow().activeKeystore();
        Keystore activeKeystore = keystores.get(active).orElseThrow(() -> keystores.failure(active)
                .orElseGet(() -> new DataEncException("the active keystore '" + active + "' is not configured")));
        if (registry.findActive().isEmpty()) {
            try {
                Cdk cdk = new CdkGenerator(registry, options.clock()).generateActive(activeKeystore);
                audit.record(AuditAction.CDK_GENERATED, cdk.id(), active, "first ACTIVE CDK");
            } catch (RegistryConflictException e) {
                LOG.debug("another node generated the first CDK", e);
            }
        }
        cache.get().invalidateActive();
        rotateIfDueQuietly();
    }

    private String requireConfigured(String keystore) {
        if (!keystores.isConfigured(keystore)) {
            throw new DataEncException("the registry's active keystore is '" + keystore + "' but the configuration does"
                    + " not configure it, and the switch away from it was refused (" + lastRefusal + "). Configure '"
                    + keystore + "' again.");
        }
        return keystore;
    }

    private KeystoreSwitch switcher() {
        return switcher(keystores);
    }

    private KeystoreSwitch switcher(KeystoreSet set) {
        return new KeystoreSwitch(registry, jobs, usage, audit, set, owner, config.switchLease(), options.crash(),
                options.progress(), List.of(new RefusedCipherGuard(transitions.refusedKeystores())));
    }

    /** Phased moves away from an old cipher whose data must be re-encrypted ({@code dataenc cipher-transition}). */
    public CipherTransitions cipherTransitions() {
        return new CipherTransitions(this, transitions, this::switcher);
    }

    /** Per-CDK encryption counts in the registry. */
    public CdkUsageStore usage() {
        return usage;
    }

    /** Who this process is, for audit entries. */
    public String actor() {
        return owner.actor();
    }

    /** Encrypts and decrypts property values with the ACTIVE CDK. */
    public PropertyCipher propertyCipher() {
        return propertyCipher;
    }

    /** Encrypts and decrypts BLOBs with the ACTIVE CDK. */
    public BlobCipher blobCipher() {
        return blobCipher;
    }

    /** The configuration in force. */
    public DataEncConfig config() {
        return config;
    }

    /** The CDK registry. */
    public JdbcCdkRegistry registry() {
        return registry;
    }

    /** The registry database (for stores that keep their own tables there, such as data migrations). */
    public RegistryDatabase database() {
        return db;
    }

    /** The audit trail. */
    public AuditTrail audit() {
        return audit;
    }

    /** The switch jobs and the registry's active keystore. */
    public SwitchJobStore jobs() {
        return jobs;
    }

    /** The configured keystores, opened. */
    public KeystoreSet keystores() {
        return keystores;
    }

    /** What a switch to {@code target} would do; changes nothing. */
    public SwitchPlan planSwitch(String target) {
        return switcher().plan(target);
    }

    /**
     * Switches the active keystore (guarded, persisted, resumable). On success the configuration in
     * force names the target.
     *
     * @throws SwitchRefusedException if refused; nothing changed
     */
    public synchronized SwitchOutcome switchKeystore(String target) {
        SwitchOutcome outcome = switcher().switchTo(target);
        config = config.withActiveKeystore(target);
        requestedActive = target;
        lastRefusal = null;
        cache.get().invalidateActive();
        return outcome;
    }

    /**
     * Applies a changed configuration (reload). Refused, with the previous configuration left in force,
     * when it would remove or change a keystore holding the only usable wrapping of a CDK in use, or
     * when the keystore switch it asks for is refused.
     *
     * @return true if applied
     */
    public synchronized boolean apply(DataEncConfig next) {
        requestedActive = next.activeKeystore();
        KeystoreSet nextKeystores = KeystoreSet.open(next.keystores());
        try {
            Optional<String> lost = new KeystoreRemovalGuard().check(registry.list(), keystores, nextKeystores, usage.all());
            if (lost.isPresent()) {
                throw new SwitchRefusedException(lost.get());
            }
            if (!jobs.state().orElseThrow().activeKeystore().equals(next.activeKeystore())) {
                switcher(nextKeystores).switchTo(next.activeKeystore());
            }
        } catch (DataEncException e) {
            nextKeystores.close();
            lastRefusal = "configuration change refused, the previous configuration stays in force: " + e.getMessage();
            audit.record(AuditAction.CONFIG_REFUSED, null, next.activeKeystore(), lastRefusal);
            return false;
        } catch (RuntimeException e) {
            nextKeystores.close(); // release the keystores opened for the change (clients, key material)
            throw e;
        }
        KeystoreSet old = keystores;
        CdkCache oldCache = cache.get();
        keystores = nextKeystores;
        config = next;
        cache.set(new CdkCache(registry, nextKeystores.opened(), next.cache()));
        lastRefusal = null;
        oldCache.close();
        old.close();
        audit.record(AuditAction.CONFIG_APPLIED, null, next.activeKeystore(), "keystores " + next.keystores().keySet()
                + ", active '" + next.activeKeystore() + "' (" + next.cipherType() + ")");
        return true;
    }

    /**
     * Records that a changed configuration file was invalid: the configuration in force stays, and the
     * reason shows in {@link #status()} and the audit trail.
     */
    public void reject(DataEncConfigException problem) {
        lastRefusal = "configuration change rejected, the previous configuration stays in force: " + problem.getMessage();
        audit.record(AuditAction.CONFIG_REFUSED, null, null, lastRefusal);
    }

    /**
     * Generates a new ACTIVE CDK under the active keystore; the old one becomes DECRYPT_ONLY.
     *
     * @throws DataEncException if a switch is unfinished or the active keystore is unusable
     */
    public synchronized Cdk rotateCdk(String reason) {
        jobs.running().ifPresent(j -> {
            throw new SwitchRefusedException("a keystore switch is unfinished (" + j.summary() + "); rotate after it completes");
        });
        String active = jobs.state().orElseThrow().activeKeystore();
        Keystore ks = keystores.get(active).orElseThrow(() -> keystores.failure(active).orElseThrow());
        Optional<Cdk> previous = registry.findActive();
        Cdk cdk = new CdkGenerator(registry, options.clock()).generateActive(ks);
        audit.record(AuditAction.CDK_ROTATED, cdk.id(), active, "new ACTIVE CDK" + previous.map(p -> "; " + p.id()
                + " is now DECRYPT_ONLY").orElse("") + (reason == null || reason.isBlank() ? "" : "; reason: " + reason));
        cache.get().invalidateActive();
        return cdk;
    }

    /** The rotation policy in force, judged on this control plane's clock. */
    public CdkRotationPolicy rotationPolicy() {
        return new CdkRotationPolicy(config.rotation(), options.clock());
    }

    /**
     * Whether the ACTIVE CDK is due for rotation now: by age, or by the encryptions recorded in the
     * registry plus those this process has not flushed yet. Changes nothing.
     */
    public Optional<RotationDue> rotationDue() {
        return registry.findActive().flatMap(active -> rotationPolicy().due(active, encryptions(active)));
    }

    private long encryptions(Cdk cdk) {
        return usage.total(cdk.id()) + propertyKeys.pending(cdk.id()) + blobKeys.pending(cdk.id());
    }

    /**
     * Rotates the ACTIVE CDK if the rotation policy says it is due, unless a keystore switch is unfinished
     * (the switch generates its own new CDK). Safe on several nodes at once: the new CDK replaces the due
     * one only if it is still ACTIVE (compare-and-set), so exactly one node rotates and the others re-read.
     * Audited as {@link AuditAction#CDK_ROTATED} with the reason. Applications run this on open and on the
     * usage-flush schedule.
     *
     * @return the new ACTIVE CDK, or empty if nothing was due, a switch is unfinished, or another node rotated first
     * @throws DataEncException if the active keystore cannot generate a CDK
     */
    public synchronized Optional<Cdk> rotateIfDue() {
        if (jobs.running().isPresent()) {
            LOG.debug("rotation check skipped: a keystore switch is unfinished");
            return Optional.empty();
        }
        return rotationDue().flatMap(this::rotate);
    }

    /**
     * Replaces {@code due.cdkId()} with a new ACTIVE CDK if it is still ACTIVE and no switch is unfinished.
     *
     * @return the new ACTIVE CDK, or empty if another node (or a switch) replaced it first
     */
    synchronized Optional<Cdk> rotate(RotationDue due) {
        if (jobs.running().isPresent()) {
            return Optional.empty();
        }
        String active = jobs.state().orElseThrow().activeKeystore();
        Keystore ks = keystores.get(active).orElseThrow(() -> keystores.failure(active).orElseThrow());
        try {
            Cdk cdk = new CdkGenerator(registry, options.clock()).generateActive(ks, due.cdkId());
            audit.record(AuditAction.CDK_ROTATED, cdk.id(), active, "automatic rotation by policy: " + due.reason()
                    + "; " + due.cdkId() + " is now DECRYPT_ONLY");
            LOG.info("rotated the ACTIVE CDK {} -> {} ({})", due.cdkId(), cdk.id(), due.reason());
            return Optional.of(cdk);
        } catch (RegistryConflictException lost) {
            LOG.debug("another node rotated CDK {} first", due.cdkId());
            return Optional.empty();
        } finally {
            cache.get().invalidateActive();
        }
    }

    private void rotateIfDueQuietly() {
        if (!options.reconcile()) {
            return;
        }
        try {
            rotateIfDue();
        } catch (RuntimeException e) {
            LOG.warn("the ACTIVE CDK is due for rotation but cannot be rotated yet (will retry): {}", e.getMessage());
        }
    }

    private void periodic() {
        flushUsageQuietly();
        rotateIfDueQuietly();
    }

    /** Time allowed after a rotation for encryptions in flight, beyond the CDK caches' active-refresh interval. */
    static final Duration IN_FLIGHT_MARGIN = Duration.ofMinutes(1);

    /**
     * Retirement of DECRYPT_ONLY CDKs on {@code evidence}. A CDK counts as out of use from when it stopped
     * being ACTIVE plus the CDK cache's active-refresh interval (nodes notice a rotation that late) plus
     * {@link #IN_FLIGHT_MARGIN}.
     */
    public CdkRetirement retirement(CdkReferenceEvidence evidence) {
        return new CdkRetirement(registry, audit, evidence, config.cache().activeRefresh().plus(IN_FLIGHT_MARGIN),
                blobAttestations());
    }

    /** Operators' attestations that no BLOB under a CDK is left (the evidence no scan can give). */
    public BlobAttestations blobAttestations() {
        return new BlobAttestations(db, usage, options.clock());
    }

    /**
     * Scheduled destruction of RETIRED CDKs (schedule, cancel, complete after the waiting period), on this control
     * plane's clock; this process's cached keys are dropped after each change.
     */
    public CdkDestruction destruction() {
        return new CdkDestruction(registry, db, usage, blobAttestations(), owner.actor(), options.clock(),
                () -> cache.get().evictAll());
    }

    /**
     * Retires every DECRYPT_ONLY CDK that {@code evidence} proves no record references.
     *
     * @param dryRun only say which would be retired
     */
    public RetirementResult retireCdks(CdkReferenceEvidence evidence, boolean dryRun) {
        return retirement(evidence).retireAll(dryRun);
    }

    /** Unwraps every CDK in use with every available keystore that holds a wrapping of it. */
    public VerifyReport verify() {
        VerifyReport report = new CdkVerifier(keystores, usage.all()).verify(registry.list());
        audit.record(AuditAction.VERIFIED, null, null, report.checked() + " CDKs checked, " + report.unreadable().size()
                + " at risk");
        return report;
    }

    /**
     * Removes the wrappings made by {@code keystoreName} from every CDK that another available keystore
     * can unwrap (checked by unwrapping). CDKs for which it is the only usable wrapping keep it and are
     * listed in the result.
     */
    public WrappingRemoval.Result removeWrappings(String keystoreName, boolean dryRun) {
        return new WrappingRemoval(registry, keystores, audit, usage.all()).remove(keystoreName, dryRun);
    }

    /** The state for {@code dataenc status}. */
    public StatusReport status() {
        ControlState state = jobs.state().orElseThrow();
        keystores.refreshDescriptions();
        List<String> ks = new ArrayList<>();
        keystores.settings().forEach((name, s) -> ks.add(name + " (" + s.type() + "): " + keystores.failure(name)
                .map(e -> "CANNOT BE OPENED: " + e.getMessage()).orElseGet(() -> keystores.describe(name).state().name())));
        Map<CdkStatus, Integer> byStatus = new EnumMap<>(CdkStatus.class);
        Map<String, Integer> byKeystore = new TreeMap<>();
        for (Cdk cdk : registry.list()) {
            byStatus.merge(cdk.status(), 1, Integer::sum);
            cdk.wrappings().stream().map(Wrapping::keystoreName).distinct().forEach(n -> byKeystore.merge(n, 1, Integer::sum));
        }
        Optional<SwitchJob> last = jobs.history(10).stream().filter(j -> j.phase() == SwitchPhase.COMPLETED).findFirst();
        return new StatusReport(state.cipherType(), state.activeKeystore(), requestedActive,
                keystores.describe(state.activeKeystore()), ks, byStatus, byKeystore, jobs.running(), last,
                Optional.ofNullable(lastRefusal), cache.get().stats(), db.displayUrl(), activeCdkLine());
    }

    private String activeCdkLine() {
        Optional<Cdk> active = registry.findActive();
        if (active.isEmpty()) {
            return "none yet (the first application start generates it)";
        }
        Cdk cdk = active.get();
        CdkRotationPolicy policy = rotationPolicy();
        long used = encryptions(cdk);
        Optional<RotationDue> due = policy.due(cdk, used);
        return cdk.id() + ", " + policy.age(cdk).toDays() + " days old (policy: rotate after "
                + config.rotation().maxAge().toDays() + "), " + used + " encryptions recorded (limit "
                + config.rotation().maxMessages() + ")" + due.map(d -> " - ROTATION DUE (" + d.reason()
                + "): applications rotate it automatically, or run 'dataenc rotate-cdk'").orElse("");
    }

    /** Adds this process's encryption counts to the registry now. */
    public void flushUsage() {
        propertyKeys.drainTo(usage);
        blobKeys.drainTo(usage);
    }

    private void flushUsageQuietly() {
        try {
            flushUsage();
        } catch (RuntimeException e) {
            LOG.warn("cannot record CDK usage counts yet (kept for the next try): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        flushUsageQuietly();
        CdkCache c = cache.get();
        if (c != null) {
            c.close();
        }
        keystores.close();
        db.close();
    }

    @Override
    public String toString() {
        return "ControlPlane[active=" + config.activeKeystore() + ", registry=" + db.displayUrl() + "]";
    }
}
