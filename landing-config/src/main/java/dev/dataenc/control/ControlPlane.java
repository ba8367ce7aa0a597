package dev.dataenc.control;

import dev.dataenc.control.cluster.ActiveCdkCheck;
import dev.dataenc.control.cluster.ClusterView;
import dev.dataenc.control.cluster.FileDrift;
import dev.dataenc.control.cluster.NodeHeartbeat;
import dev.dataenc.control.cluster.NodeIdentity;
import dev.dataenc.control.cluster.NodeReport;
import dev.dataenc.control.cluster.RegistryNotInitializedException;
import dev.dataenc.control.cluster.RegistryPresence;
import dev.dataenc.control.cluster.RotationPolicyStore;
import dev.dataenc.control.guard.KeystoreRemovalGuard;
import dev.dataenc.control.guard.OpenTransitionGuard;
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
import dev.dataenc.control.keyswitch.SwitchUnfinishedException;
import dev.dataenc.control.lifecycle.CdkLifecycleRefusedException;
import dev.dataenc.control.lifecycle.BlobAttestations;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.lifecycle.CdkRetirement;
import dev.dataenc.control.lifecycle.CdkRotation;
import dev.dataenc.control.lifecycle.CdkRotationPolicy;
import dev.dataenc.control.lifecycle.CdkUsageStore;
import dev.dataenc.control.lifecycle.CdkVerifier;
import dev.dataenc.control.lifecycle.CheckValueBackfill;
import dev.dataenc.control.lifecycle.DestructionAlarm;
import dev.dataenc.control.lifecycle.RetirementResult;
import dev.dataenc.control.lifecycle.RotationDue;
import dev.dataenc.control.lifecycle.UsageCeiling;
import dev.dataenc.control.lifecycle.UsageCountingKeySource;
import dev.dataenc.control.lifecycle.VerifyReport;
import dev.dataenc.control.lifecycle.WrappingRemoval;
import dev.dataenc.control.transition.CipherTransitionStore;
import dev.dataenc.control.transition.CipherTransitions;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditTrail;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.CdkCache;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.registry.RegistryException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
import java.util.stream.Collectors;
import javax.sql.DataSource;

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
     * @param actor       who acts, for the audit trail and switch jobs, or null for this process's OS user, host and
     *                    pid with {@code tool} ({@link dev.dataenc.audit.Actor#current}); the web console names its
     *                    signed-in admin here
     */
    public record Options(String tool, CrashPoint crash, SwitchProgress progress, Duration usageFlush, boolean reconcile,
                          Clock clock, String actor) {

        public Options {
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(crash, "crash");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(usageFlush, "usageFlush");
            Objects.requireNonNull(clock, "clock");
        }

        /** Options whose actor is this process's ({@code actor} null). */
        public Options(String tool, CrashPoint crash, SwitchProgress progress, Duration usageFlush, boolean reconcile,
                       Clock clock) {
            this(tool, crash, progress, usageFlush, reconcile, clock, null);
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
            return new Options(tool, crash, p, usageFlush, reconcile, clock, actor);
        }

        /** This with another crash point. */
        public Options withCrash(CrashPoint c) {
            return new Options(tool, c, progress, usageFlush, reconcile, clock, actor);
        }

        /** This with another tool name. */
        public Options withTool(String t) {
            return new Options(t, crash, progress, usageFlush, reconcile, clock, actor);
        }

        /** This with reconciling on open switched on or off. */
        public Options withReconcile(boolean r) {
            return new Options(tool, crash, progress, usageFlush, r, clock, actor);
        }

        /** This with another usage-flush (and rotation check) interval. */
        public Options withUsageFlush(Duration d) {
            return new Options(tool, crash, progress, d, reconcile, clock, actor);
        }

        /** This acting as {@code a} in the audit trail and switch jobs (null: this process's user, host and pid). */
        public Options withActor(String a) {
            return new Options(tool, crash, progress, usageFlush, reconcile, clock, a);
        }

        /** This with another clock. */
        public Options withClock(Clock c) {
            return new Options(tool, crash, progress, usageFlush, reconcile, c, actor);
        }
    }

    private final RegistryDatabase db;
    /** Counts of cipher operations and keystore calls, for metrics ({@code dev.dataenc.metrics.DataEncMetrics}). */
    private final dev.dataenc.metrics.OperationStats stats = new dev.dataenc.metrics.OperationStats();
    /** The counters of caches replaced by a configuration change, so {@link #cacheStats()} only grows. */
    private final java.util.concurrent.atomic.AtomicReference<dev.dataenc.envelope.CacheStats> retiredCacheStats =
            new java.util.concurrent.atomic.AtomicReference<>(new dev.dataenc.envelope.CacheStats(0, 0, 0, 0, 0));
    private final JdbcCdkRegistry registry;
    private final SwitchJobStore jobs;
    private final CdkUsageStore usage;
    private final CipherTransitionStore transitions;
    private final JdbcAuditTrail audit;
    private final Options options;
    private final SwitchOwner owner;
    private final AtomicReference<CdkCache> cache = new AtomicReference<>();
    private final UsageCeiling ceiling = new UsageCeiling();
    private final UsageCountingKeySource propertyKeys;
    private final UsageCountingKeySource blobKeys;
    private final PropertyCipher propertyCipher;
    private final BlobCipher blobCipher;
    private final DeterministicCipher deterministicCipher;
    private final ScheduledExecutorService flusher;
    private volatile DataEncConfig config;
    private volatile KeystoreSet keystores;
    private volatile String lastRefusal;
    private volatile String requestedActive;
    private final RotationPolicyStore policies;
    private final FileDrift drift = new FileDrift();
    private volatile DataEncConfig fileConfig;
    private volatile NodeHeartbeat node;
    private volatile boolean closed;

    private ControlPlane(DataEncConfig config, RegistryDatabase db, KeystoreSet keystores, Options options) {
        this.config = config;
        this.requestedActive = config.activeKeystore();
        this.fileConfig = config;
        this.policies = new RotationPolicyStore(db);
        this.db = db;
        this.keystores = keystores;
        this.options = options;
        this.registry = new JdbcCdkRegistry(db, options.clock());
        this.jobs = new SwitchJobStore(db);
        this.usage = new CdkUsageStore(db);
        this.transitions = new CipherTransitionStore(db);
        this.owner = options.actor() == null ? SwitchOwner.thisProcess(options.tool())
                : SwitchOwner.thisProcess(options.tool()).actingAs(options.actor());
        this.audit = new JdbcAuditTrail(db, owner.actor());
        this.cache.set(newCache(keystores, config));
        this.propertyKeys = UsageCountingKeySource.over(cache, CdkUsageStore.Kind.PROPERTY, ceiling);
        this.blobKeys = UsageCountingKeySource.over(cache, CdkUsageStore.Kind.BLOB, ceiling);
        DestructionAlarm alarm = new DestructionAlarm(audit, options.clock());
        this.propertyKeys.onScheduledRefused(alarm);
        this.blobKeys.onScheduledRefused(alarm);
        this.propertyCipher = new PropertyCipher(propertyKeys, stats);
        this.blobCipher = new BlobCipher(blobKeys, stats);
        // counted as property values, against the same ceiling: consistent with PropertyCipher (see docs/FORMAT.md)
        this.deterministicCipher = new DeterministicCipher(propertyKeys, this::cdksInUse);
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
        KeystoreSet keystores = KeystoreSet.open(config.keystores());
        RegistryDatabase db;
        try {
            keystores.failure(config.activeKeystore()).ifPresent(failure -> refuseToCreate(
                    () -> RegistryPresence.requireInitialized(config.registry()), failure));
            db = RegistryDatabase.open(config.registry());
        } catch (RuntimeException e) {
            keystores.close();
            throw e;
        }
        return open(config, db, keystores, options);
    }

    /**
     * A start whose active keystore cannot be opened must not be the one that creates the registry (opening creates a
     * missing embedded database, its directories and schema): when the registry was never initialised, the keystore's
     * failure is thrown before anything is created. An initialised registry is opened as usual, because its active
     * keystore, which this node follows, may be another one.
     */
    private static void refuseToCreate(Runnable requireInitialized, DataEncException failure) {
        try {
            requireInitialized.run();
        } catch (RegistryNotInitializedException e) {
            throw failure;
        } catch (RegistryException e) {
            // cannot tell (no driver, database unreachable): opening the registry reports that, as before
            LOG.debug("registry presence unknown: {}", e.getMessage());
        }
    }

    /**
     * As {@link #open(DataEncConfig, Options)} on a registry database opened by the caller (e.g. over the
     * application's own {@link javax.sql.DataSource}, {@link RegistryDatabase#over}); {@code config.registry()} is
     * then not used. The plane closes {@code db} when it closes, or when opening fails.
     *
     * @throws DataEncException if the active keystore cannot be opened or the registry refuses the configuration
     */
    public static ControlPlane open(DataEncConfig config, RegistryDatabase db, Options options) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(db, "db");
        KeystoreSet keystores;
        try {
            keystores = KeystoreSet.open(config.keystores());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return open(config, db, keystores, options);
    }

    /**
     * As {@link #open(DataEncConfig, Options)} with the registry in the application's own database: its tables are
     * migrated into {@code registry} ({@link RegistryDatabase#over}), which stays open when the plane closes. The
     * keystores are opened first: when the active one cannot be opened and the registry was never initialised there,
     * the keystore's failure is thrown before the schema is created, so a start that cannot use the file's choices
     * leaves the application's database as it was.
     *
     * @param name how to name the data source in messages (e.g. "application DataSource")
     * @throws DataEncException if the active keystore cannot be opened or the registry refuses the configuration
     */
    public static ControlPlane open(DataEncConfig config, DataSource registry, String name, Options options) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        KeystoreSet keystores = KeystoreSet.open(config.keystores());
        RegistryDatabase db;
        try {
            keystores.failure(config.activeKeystore()).ifPresent(failure -> refuseToCreate(
                    () -> RegistryPresence.requireInitialized(registry, name), failure));
            db = RegistryDatabase.over(registry, name);
        } catch (RuntimeException e) {
            keystores.close();
            throw e;
        }
        return open(config, db, keystores, options);
    }

    private static ControlPlane open(DataEncConfig config, RegistryDatabase db, KeystoreSet keystores, Options options) {
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
        Optional<DataEncException> activeFailure = keystores.failure(config.activeKeystore());
        if (activeFailure.isPresent() && jobs.state().isEmpty()) {
            // the first start records the file's choices for good: never from a start that cannot use them
            throw activeFailure.get();
        }
        boolean initialised = jobs.initState(config.activeKeystore(), config.cipherType());
        if (initialised) {
            audit.record(AuditAction.CONTROL_INITIALIZED, null, config.activeKeystore(), "active keystore '"
                    + config.activeKeystore() + "', cipher type " + config.cipherType() + ", rotation policy "
                    + RotationPolicyStore.describe(config.rotation()));
        }
        if (initialised || options.reconcile()) {
            policies.initIfAbsent(config.rotation()); // the file's policy, only where the registry has none yet
        }
        if (!options.reconcile()) {
            String active = jobs.state().orElseThrow().activeKeystore();
            if (keystores.isConfigured(active) && !active.equals(config.activeKeystore())) {
                config = config.withActiveKeystore(active);
            }
            return;
        }
        if (!resumeOrKeepServing()) {
            config = config.withActiveKeystore(requireConfigured(jobs.state().orElseThrow().activeKeystore()));
            return;
        }
        ControlState state = jobs.state().orElseThrow();
        if (!state.activeKeystore().equals(config.activeKeystore()) && !config.cluster().switchOnFileChange()) {
            config = config.withActiveKeystore(requireConfiguredToFollow(config, state.activeKeystore()));
        } else if (!state.activeKeystore().equals(config.activeKeystore())) {
            try {
                switcher().switchTo(config.activeKeystore());
            } catch (SwitchRefusedException e) {
                lastRefusal = "configuration asks for active keystore '" + config.activeKeystore() + "'; " + e.getMessage();
                audit.record(AuditAction.CONFIG_REFUSED, null, config.activeKeystore(), lastRefusal);
                config = config.withActiveKeystore(requireConfigured(state.activeKeystore()));
            } catch (SwitchUnfinishedException e) {
                lastRefusal = "unfinished keystore switch cannot continue here: " + e.getMessage();
                LOG.warn("{}; this node keeps serving with the keystores it can use", lastRefusal);
                config = config.withActiveKeystore(requireConfigured(state.activeKeystore()));
                return;
            }
        }
        String active = jobs.state().orElseThrow().activeKeystore();
        Keystore activeKeystore = keystores.get(active).orElseThrow(() -> keystores.failure(active)
                .orElseGet(() -> new DataEncException("the active keystore '" + active + "' is not configured")));
        if (registry.findActive().isEmpty()) {
            try {
                rotation().first(activeKeystore);
            } catch (RegistryConflictException e) {
                LOG.debug("another node generated the first CDK", e);
            }
        }
        if (jobs.running().isEmpty()) {
            registry.findActive().ifPresent(cdk -> ActiveCdkCheck.require(cdk, keystores, this::unwrapActiveAtStart));
        }
        cache.get().invalidateActive();
        refreshRecordedUsage();
        rotateIfDueQuietly();
        recordDrift();
        node = new NodeHeartbeat(db, NodeIdentity.thisProcess(options.tool()), Duration.ofMillis(Math.max(100,
                options.usageFlush().toMillis())), () -> config.cluster(), this::nodeReport);
        node.beatQuietly();
    }

    /**
     * The start check's proof that this node can unwrap the ACTIVE CDK, made through the encryption path when it
     * can (the ACTIVE-CDK rule: only via the active keystore's wrapping), so the key the first encryption needs is
     * already in the cache; otherwise through the decryption path, whose failure the check explains.
     */
    private void unwrapActiveAtStart(Cdk active) {
        try {
            if (cache.get().activeKey().cdkId().equals(active.id())) {
                return;
            }
        } catch (DataEncException e) {
            LOG.debug("ACTIVE CDK {} not usable for encryption at start: {}", active.id(), e.getMessage());
        }
        cache.get().key(active.id());
    }

    /**
     * The registry's active keystore, which a node follows whatever its file names.
     *
     * @throws DataEncException if {@code in} does not configure it (the node could not encrypt)
     */
    private static String requireConfiguredToFollow(DataEncConfig in, String registryActive) {
        if (!in.keystores().containsKey(registryActive)) {
            throw new DataEncException("the registry's active keystore is '" + registryActive + "' but this node's"
                    + " configuration does not configure it (configured: " + String.join(", ", in.keystores().keySet())
                    + "); add dataenc." + "keystores." + registryActive + ".* as on the other nodes. The registry decides"
                    + " the active keystore ('dataenc switch' changes it); see 'Cluster model' in docs/ADMIN.md");
        }
        return registryActive;
    }

    /** Compares this node's file with the registry's state; a difference is drift (warned once, reported). */
    private void recordDrift() {
        drift.record(FileDrift.of(fileConfig, jobs.state().orElseThrow(), policies.read()));
    }

    /** After an admin switch elsewhere: this node's configuration in force names the registry's active keystore. */
    private synchronized void followRegistry() {
        String active = jobs.state().orElseThrow().activeKeystore();
        if (!active.equals(config.activeKeystore()) && keystores.isConfigured(active)) {
            config = config.withActiveKeystore(active);
        }
        recordDrift();
    }

    private NodeReport nodeReport() {
        StringBuilder ks = new StringBuilder();
        keystores.settings().forEach((name, s) -> ks.append(ks.length() == 0 ? "" : "\n").append(name).append(" (")
                .append(s.type()).append("): ").append(keystores.failure(name).map(e -> "CANNOT BE OPENED: "
                        + e.getMessage()).orElseGet(() -> {
                            var d = keystores.describe(name);
                            return d.state() + ", master key '" + d.masterKeyId() + "'";
                        })));
        return new NodeReport(requestedActive, drift.current(), ks.toString(), lastRefusal, cache.get().stats(),
                propertyKeys.pendingTotal() + blobKeys.pendingTotal());
    }

    /** Every node recorded in the registry, live and stale ({@code dataenc status}). */
    public ClusterView cluster() {
        return ClusterView.read(db, config.cluster().staleHeartbeats());
    }

    /** This process's node id in the cluster view, if it takes part (applications do; admin commands do not). */
    public Optional<String> nodeId() {
        return Optional.ofNullable(node).map(n -> n.identity().id());
    }

    /** Reads the ACTIVE CDK's recorded encryptions (all nodes) into the usage ceiling. */
    private void refreshRecordedUsage() {
        registry.findActive().ifPresent(a -> ceiling.recorded(a.id(), usage.total(a.id())));
    }

    /**
     * A CDK cache that encrypts only under an ACTIVE CDK the registry's active keystore wraps (during a switch,
     * once the switch's new CDK is ACTIVE: the switch's target), with every unwrap checked against the CDK's
     * check value. The active keystore is read from the registry once per key load, not per message.
     */
    private CdkCache newCache(KeystoreSet set, DataEncConfig c) {
        return CdkCache.builder(registry, set.opened()).limits(c.cache()).activeKeystore(this::encryptingKeystore)
                .observer(stats).build();
    }

    /** The keystore whose wrapping of the ACTIVE CDK encryption must use; null when the registry has no state yet. */
    private String encryptingKeystore() {
        Optional<SwitchJob> running = jobs.running();
        if (running.isPresent()) {
            SwitchJob job = running.get();
            boolean newCdkActive = registry.findActive().map(a -> a.id().equals(job.newCdkId())).orElse(false);
            if (newCdkActive) {
                return job.target();
            }
        }
        return jobs.state().map(ControlState::activeKeystore).orElse(null);
    }

    /**
     * Resumes an unfinished switch. When it cannot continue here (its target keystore broke, say), this node
     * keeps serving with what it can unwrap: the reason is logged and shown by {@link #status()}, and an admin
     * resumes it later or cancels it ({@link #cancelSwitch()}).
     *
     * @return false if a switch is still unfinished
     */
    private boolean resumeOrKeepServing() {
        try {
            switcher().resumePending();
            return true;
        } catch (DataEncException e) {
            lastRefusal = "unfinished keystore switch cannot continue here: " + e.getMessage();
            LOG.warn("{}; this node keeps serving with the keystores it can use", lastRefusal);
            return false;
        }
    }

    private CdkRotation rotation() {
        return new CdkRotation(registry, audit, options.clock(), options.crash(), stats);
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
                options.progress(), List.of(new RefusedCipherGuard(transitions.refusedKeystores(),
                transitions.refusedMasterKeys()), new OpenTransitionGuard(transitions.open())), stats);
    }

    /** Phased moves away from an old cipher whose data must be re-encrypted ({@code dataenc cipher-transition}). */
    public CipherTransitions cipherTransitions() {
        return new CipherTransitions(this, transitions, this::switcher, options.crash());
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

    /**
     * Deterministic (searchable) property encryption with the ACTIVE CDK; its lookups cover every CDK that may still
     * protect data (ACTIVE and DECRYPT_ONLY, read from the registry at each lookup).
     */
    public DeterministicCipher deterministicCipher() {
        return deterministicCipher;
    }

    /** The CDKs whose ciphertexts may still be stored: the ACTIVE one first, then DECRYPT_ONLY ones, newest first. */
    private List<CdkId> cdksInUse() {
        List<Cdk> newestFirst = new ArrayList<>(registry.list());
        Collections.reverse(newestFirst);
        return newestFirst.stream().filter(c -> c.status().protectsData())
                .sorted(Comparator.comparing(c -> c.status() != CdkStatus.ACTIVE)).map(Cdk::id).toList();
    }

    /** Counts and durations of cipher operations and keystore calls since this plane opened. */
    public dev.dataenc.metrics.OperationStats operationStats() {
        return stats;
    }

    /**
     * The CDK cache's counters since this plane opened (including caches replaced by configuration changes, so
     * the counts never go down); {@code entries} is the current cache's.
     */
    public dev.dataenc.envelope.CacheStats cacheStats() {
        return sumStats(retiredCacheStats.get(), cache.get().stats());
    }

    private static dev.dataenc.envelope.CacheStats sumStats(dev.dataenc.envelope.CacheStats a, dev.dataenc.envelope.CacheStats b) {
        return new dev.dataenc.envelope.CacheStats(a.hits() + b.hits(), a.misses() + b.misses(),
                a.keystoreCalls() + b.keystoreCalls(), a.evictions() + b.evictions(), b.entries());
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
        DataEncConfig inForce = next;
        try {
            Optional<String> lost = new KeystoreRemovalGuard().check(registry.list(), keystores, nextKeystores, usage.all());
            if (lost.isPresent()) {
                throw new SwitchRefusedException(lost.get());
            }
            String registryActive = jobs.state().orElseThrow().activeKeystore();
            if (!registryActive.equals(next.activeKeystore()) && next.cluster().switchOnFileChange()) {
                switcher(nextKeystores).switchTo(next.activeKeystore());
            } else if (!registryActive.equals(next.activeKeystore())) {
                inForce = next.withActiveKeystore(requireConfiguredToFollow(next, registryActive));
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
        retiredCacheStats.accumulateAndGet(oldCache.stats(), ControlPlane::sumStats);
        keystores = nextKeystores;
        config = inForce;
        fileConfig = next;
        cache.set(newCache(nextKeystores, next));
        lastRefusal = null;
        oldCache.close();
        old.close();
        recordDrift();
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
        try {
            return rotation().rotate(ks, Optional.empty(), AuditAction.CDK_ROTATED, previous -> "new ACTIVE CDK"
                    + previous.map(p -> "; " + p + " is now DECRYPT_ONLY").orElse("")
                    + (reason == null || reason.isBlank() ? "" : "; reason: " + reason));
        } finally {
            cache.get().invalidateActive();
        }
    }

    /** The rotation policy in force, judged on this control plane's clock. */
    public CdkRotationPolicy rotationPolicy() {
        return new CdkRotationPolicy(rotationPolicyInForce(), options.clock());
    }

    /** The registry's rotation policy; the file's only where the registry has none recorded yet. */
    public RotationPolicy rotationPolicyInForce() {
        return policies.read().orElse(config.rotation());
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
            Cdk cdk = rotation().rotate(ks, Optional.of(due.cdkId()), AuditAction.CDK_ROTATED, previous ->
                    "automatic rotation by policy: " + due.reason() + "; " + due.cdkId() + " is now DECRYPT_ONLY");
            LOG.info("rotated the ACTIVE CDK {} -> {} ({})", due.cdkId(), cdk.id(), due.reason());
            return Optional.of(cdk);
        } catch (RegistryConflictException | SwitchRefusedException lost) {
            LOG.debug("CDK {} was not rotated: {}", due.cdkId(), lost.getMessage());
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
            rotationFailures = 0;
        } catch (RuntimeException e) {
            rotationFailures++;
            LOG.warn("the ACTIVE CDK is due for rotation but cannot be rotated yet (will retry): {}", e.getMessage());
            alarmIfRotationKeepsFailing(e);
        }
    }

    /** Consecutive failed rotation attempts after which an alarm is raised. */
    static final int ROTATION_ALARM_AFTER = 3;
    /** How often the alarm is repeated (logged and audited) while rotation keeps failing. */
    static final Duration ROTATION_ALARM_REPEAT = Duration.ofHours(1);
    private int rotationFailures;
    private java.time.Instant lastRotationAlarm;

    private void alarmIfRotationKeepsFailing(RuntimeException e) {
        java.time.Instant now = options.clock().instant();
        if (rotationFailures < ROTATION_ALARM_AFTER
                || (lastRotationAlarm != null && now.isBefore(lastRotationAlarm.plus(ROTATION_ALARM_REPEAT)))) {
            return;
        }
        lastRotationAlarm = now;
        Optional<Cdk> active = registry.findActive();
        String detail = "rotation of the ACTIVE CDK has failed " + rotationFailures + " times in a row ("
                + e.getMessage() + "); " + active.map(a -> ceiling.used(a.id()) + " of at most " + ceiling.ceiling()
                + " encryptions used; encryption is refused at the ceiling").orElse("") + ". Fix the active keystore,"
                + " then run 'dataenc rotate-cdk'";
        LOG.error("ALARM: {}", detail);
        try {
            audit.record(AuditAction.ROTATION_FAILING, active.map(Cdk::id).orElse(null),
                    jobs.state().map(ControlState::activeKeystore).orElse(null), detail);
        } catch (RuntimeException auditFailed) {
            LOG.warn("the rotation alarm could not be written to the audit trail: {}", auditFailed.getMessage());
        }
    }

    /** One run of the periodic task: flush usage, refresh the recorded usage, rotate if due (tests call it directly). */
    void periodic() {
        flushUsageQuietly();
        try {
            refreshRecordedUsage();
        } catch (RuntimeException e) {
            LOG.warn("could not read the recorded CDK usage (will retry): {}", e.getMessage());
        }
        rotateIfDueQuietly();
        NodeHeartbeat n = node;
        if (n != null) {
            try {
                followRegistry();
            } catch (RuntimeException e) {
                LOG.warn("cannot read the registry's state yet (will retry): {}", e.getMessage());
            }
            n.beatQuietly();
        }
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
                blobAttestations(), options.crash());
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
                () -> cache.get().evictAll(), options.crash());
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
        // looking changes nothing: no audit entry (the audit trail records changes and refusals)
        return new CdkVerifier(keystores, usage.all()).verify(registry.list());
    }

    /**
     * Removes the wrappings made by {@code keystoreName} from every CDK that another available keystore
     * can unwrap (checked by unwrapping). CDKs for which it is the only usable wrapping keep it and are
     * listed in the result.
     */
    public WrappingRemoval.Result removeWrappings(String keystoreName, boolean dryRun) {
        return new WrappingRemoval(registry, keystores, audit, usage.all(), options.crash()).remove(keystoreName, dryRun);
    }

    /**
     * Rolls back the unfinished keystore switch ({@code dataenc switch --cancel}): allowed while its new CDK has
     * no encryptions recorded; the CDK that was ACTIVE before is ACTIVE again and the switch's source stays the
     * active keystore. Audited as {@link AuditAction#SWITCH_CANCELLED}.
     *
     * @return the CANCELLED job
     * @throws SwitchRefusedException with the reason if there is none to cancel, or it cannot be rolled back
     *                                (then nothing changed; resume it instead)
     */
    public synchronized SwitchJob cancelSwitch() {
        SwitchJob cancelled = switcher().cancel();
        if (keystores.isConfigured(cancelled.source())) {
            config = config.withActiveKeystore(cancelled.source());
        }
        lastRefusal = null;
        cache.get().invalidateActive();
        return cancelled;
    }

    /**
     * Records a key check value for every data-protecting CDK created before check values existed, once every
     * available wrapping of it agrees on the key ({@code dataenc record-check-values}).
     *
     * @param dryRun only say which CDKs would get one
     */
    public CheckValueBackfill.Result recordCheckValues(boolean dryRun) {
        return new CheckValueBackfill(registry, audit, keystores.opened()).run(dryRun);
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
        RotationPolicy inForce = rotationPolicyInForce();
        CdkRotationPolicy policy = new CdkRotationPolicy(inForce, options.clock());
        long used = encryptions(cdk);
        Optional<RotationDue> due = policy.due(cdk, used);
        return cdk.id() + ", " + policy.age(cdk).toDays() + " days old (policy: rotate after "
                + inForce.maxAge().toDays() + "), " + used + " encryptions recorded (limit "
                + inForce.maxMessages() + ")" + due.map(d -> " - ROTATION DUE (" + d.reason()
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

    /**
     * Encryptions this process counted that the registry has not recorded, per CDK (property values and BLOBs
     * together): normally only the last few seconds' (see {@code dataenc.usage-flush}), more while the registry is away.
     * After {@link #close()}, what could not be recorded at close and is therefore lost to the registry (empty when the
     * last flush succeeded); close logs it as an error.
     */
    public Map<CdkId, Long> unrecordedUsage() {
        Map<CdkId, Long> all = new TreeMap<>(Comparator.comparing(CdkId::toString));
        propertyKeys.pendingByCdk().forEach((id, n) -> all.merge(id, n, Long::sum));
        blobKeys.pendingByCdk().forEach((id, n) -> all.merge(id, n, Long::sum));
        return Collections.unmodifiableMap(all);
    }

    /** Whether {@link #close()} has been called (meters read after it report nothing instead of failing). */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        flusher.shutdownNow();
        try {
            flushUsage();
        } catch (RuntimeException e) {
            // no later try: the counts die with this process, so say exactly what the registry will not know
            LOG.error("closing with CDK usage counts the registry could not record ({}): {}. The registry under-counts"
                    + " these CDKs' encryptions by that much; if the ACTIVE CDK is among them and this node encrypted"
                    + " much while the registry was away, rotate it ('dataenc rotate-cdk') to stay well inside its"
                    + " message limit", e.getMessage(), unrecordedUsage().entrySet().stream()
                    .map(u -> u.getKey() + " +" + u.getValue()).collect(Collectors.joining(", ")));
        }
        NodeHeartbeat n = node;
        if (n != null) {
            n.leave();
        }
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
