package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.lifecycle.RetirementResult;
import dev.dataenc.control.lifecycle.VerifyReport;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransition;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.migrate.JdbcRecordSource;
import dev.dataenc.migrate.Migration;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.migrate.ScanEvidence;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.CrashingChild;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 loops for the CDK lifecycle operations, in the style of {@link AdminCrashLoopTest}: {@code retire-cdks} (on
 * the migration engine's scan evidence), scheduled destruction ({@code destroy-cdk}: schedule, cancel, complete after
 * the waiting period) and {@code cipher-transition advance}, each run in a child JVM killed at a random step hook
 * (seeded: {@code -Ddataenc.crashloop.seed=N} replays), several times in a row on one registry (PostgreSQL where
 * available, else embedded H2) with its records in a host table ({@code customer}, migrated by the parent). After
 * every kill, after the next application start and after the final completing run: {@link RegistryInvariants} (one
 * ACTIVE CDK wrapped by the active keystore, no CDK in use without a wrapping, every change audited), the operation's
 * own {@link LifecycleInvariants}, and every stored value decrypts.
 */
class LifecycleCrashLoopTest {

    private static final int KILLS = Integer.getInteger("dataenc.crashloop.kills", 3);
    private static final String CONTEXT = "Customer.email";

    @TempDir
    Path dir;

    private long seed;
    private Random random;
    private RegistrySettings registry;
    private String hostUrl;
    private String hostUser;
    /** Plaintexts by customer id, as the host table must decrypt. */
    private final Map<Integer, String> rows = new LinkedHashMap<>();
    /** Values the application keeps outside any migrated table: their CDKs can never be proven unreferenced. */
    private final Map<String, String> unscanned = new LinkedHashMap<>();
    private final MutableClock clock = new MutableClock();
    private int kills;

    @BeforeEach
    void setUp() throws Exception {
        seed = Long.getLong("dataenc.crashloop.seed", System.nanoTime());
        random = new Random(seed);
        System.out.println("LifecycleCrashLoopTest seed " + seed + " (replay with -Ddataenc.crashloop.seed=" + seed + ")");
        PostgresServer pg = PostgresServer.available().orElse(null);
        System.out.println("LifecycleCrashLoopTest registry: " + (pg == null ? "H2" : "PostgreSQL"));
        if (pg == null) {
            registry = new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", "");
            hostUrl = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("host") + ";WRITE_DELAY=0";
            hostUser = "sa";
        } else {
            registry = new RegistrySettings(pg.newDatabase(), pg.user(), "");
            hostUrl = pg.newDatabase();
            hostUser = pg.user();
        }
        try (Connection c = host(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(600))");
        }
        ControlFixture.local(dir, "a");
        ControlFixture.local(dir, "b");
        clock.advance(Duration.ofMinutes(-LifecycleOpCrashChild.CLOCK_OFFSET_MINUTES));
    }

    @Test
    void retireCdksKilledAtRandomSteps_retiresOnlyWhatScansProve_eachWithItsAuditEntry() throws Exception {
        for (int i = 0; i < KILLS; i++) {
            try (ControlPlane plane = open(clock, "a", false)) {
                unscannedValue(plane);
                oldRows(plane, 3);
                migrate(plane);
            }
            killAndCheck("retire", 4, "iteration " + i);
        }
        try (ControlPlane plane = open(clock, "a", true)) {
            RetirementResult last = plane.retireCdks(new ScanEvidence(plane.database()), false);
            checkAll(plane, true, "after the completing run (seed " + seed + ")");
            Set<CdkId> kept = new HashSet<>(last.kept().keySet());
            assertEquals(unscannedCdks(), kept, "only the CDKs of values no scanned source holds stay DECRYPT_ONLY");
        }
        System.out.println("retire-cdks: " + kills + " kills, seed " + seed);
    }

    @Test
    void destroyCdkKilledAtRandomSteps_destroysOnlyAfterTheWaitingPeriod_cancelKeepsTheWrappings() throws Exception {
        for (int i = 0; i < KILLS; i++) {
            int retired;
            try (ControlPlane plane = open(clock, "a", false)) {
                oldRows(plane, 2);
                migrate(plane);
                plane.retireCdks(new ScanEvidence(plane.database()), false);
                retired = (int) plane.registry().list().stream().filter(c -> c.status() == CdkStatus.RETIRED).count();
            }
            // n schedules, one cancel, n - 1 destructions (plus leftovers scheduled by an earlier killed run)
            killAndCheck("destroy", 2 * retired, "iteration " + i);
        }
        // One more round that is not killed, so a cancel surely happens: if every killed run stopped before its
        // cancel (seed 12105274818705), the oldest CDK stayed scheduled and nothing was left to show the cancel
        try (ControlPlane plane = open(clock, "a", false)) {
            oldRows(plane, 2);
            migrate(plane);
            plane.retireCdks(new ScanEvidence(plane.database()), false);
        }
        assertFalse(CrashingChild.runAndMaybeKill(LifecycleOpCrashChild.class, "destroy, not killed, seed " + seed,
                dir.toString(), registry.url(), registry.user(), "destroy", Integer.toString(Integer.MAX_VALUE)));
        MutableClock later = new MutableClock();
        later.advance(Duration.ofDays(CdkDestruction.MIN_WAITING_DAYS + 1L));
        try (ControlPlane plane = open(later, "a", true)) {
            plane.destruction().completeDue();
            checkAll(plane, true, "after the completing run (seed " + seed + ")");
            assertTrue(plane.destruction().scheduled().isEmpty(), "every scheduled destruction completed");
            assertTrue(plane.registry().list().stream().anyMatch(c -> c.status() == CdkStatus.DESTROYED));
            assertTrue(plane.registry().list().stream().anyMatch(c -> c.status() == CdkStatus.RETIRED
                    && !c.wrappings().isEmpty()), "the cancelled one stays RETIRED with its wrappings");
            // and each CDK ends as its last destruction entry says: cancelled -> RETIRED with wrappings, else DESTROYED
            List<AuditEvent> events = new ArrayList<>();
            for (AuditAction a : List.of(AuditAction.CDK_DESTRUCTION_SCHEDULED, AuditAction.CDK_DESTRUCTION_CANCELLED)) {
                events.addAll(plane.audit().byAction(a));
            }
            events.sort(Comparator.comparingLong(AuditEvent::seq));
            Map<CdkId, AuditAction> last = new LinkedHashMap<>();
            events.forEach(e -> last.put(e.cdkId(), e.action()));
            last.forEach((id, action) -> {
                Cdk cdk = plane.registry().find(id).orElseThrow();
                if (action == AuditAction.CDK_DESTRUCTION_CANCELLED) {
                    assertEquals(CdkStatus.RETIRED, cdk.status(), id + " was cancelled last (seed " + seed + ")");
                    assertFalse(cdk.wrappings().isEmpty(), id + " was cancelled last (seed " + seed + ")");
                } else {
                    assertEquals(CdkStatus.DESTROYED, cdk.status(), id + " was scheduled last (seed " + seed + ")");
                }
            });
        }
        System.out.println("destroy-cdk: " + kills + " kills, seed " + seed);
    }

    @Test
    void cipherTransitionKilledAtRandomSteps_phaseAndAuditAgree_dataAlwaysDecrypts() throws Exception {
        try (ControlPlane plane = open(clock, "a", false)) {
            oldRows(plane, 3);
        }
        String active = "a";
        for (int i = 0; i < 10; i++) {
            int max;
            try (ControlPlane plane = open(clock, active, false)) {
                if (plane.cipherTransitions().all().stream().anyMatch(t -> t.phase() == CipherPhase.OLD_REFUSED)) {
                    break;
                }
                Optional<CipherTransition> t = plane.cipherTransitions().open();
                int inUse = (int) plane.registry().list().stream().filter(c -> c.status().protectsData()).count();
                if (t.isPresent() && t.get().phase() == CipherPhase.NEW_ENCRYPTS) {
                    migrate(plane); // the admin's part: re-encrypt the records, retire the old cipher's CDKs
                    plane.retireCdks(new ScanEvidence(plane.database()), false);
                }
                // started, one per CDK wrapped under b, advanced; then the switch (about 6) and advanced
                max = t.isEmpty() ? inUse + 9 : switch (t.get().phase()) {
                    case STARTED -> inUse + 8;
                    case NEW_DECRYPTS -> 7;
                    default -> 2 + (int) plane.registry().list().stream()
                            .filter(c -> c.wrappingBy("a").isPresent()).count();
                };
            }
            active = killAndCheck("transition", max, "iteration " + i);
        }
        try (ControlPlane plane = open(clock, active, true)) {
            while (plane.cipherTransitions().open().isPresent()) {
                if (plane.cipherTransitions().open().get().phase() == CipherPhase.NEW_ENCRYPTS) {
                    migrate(plane);
                    plane.retireCdks(new ScanEvidence(plane.database()), false);
                }
                plane.cipherTransitions().advance();
            }
            checkAll(plane, true, "after the completing run (seed " + seed + ")");
            assertEquals(CipherPhase.OLD_REFUSED, plane.cipherTransitions().all().get(0).phase());
        }
        // the refused cipher can leave the configuration: every record reads with b alone
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(registry, "b", ControlFixture.local(dir, "b")),
                ControlFixture.options().withTool("parent").withClock(clock))) {
            checkAll(plane, true, "with b alone after the transition (seed " + seed + ")");
        }
        System.out.println("cipher-transition: " + kills + " kills, seed " + seed);
    }

    /**
     * Runs the child, killed at a random step in 1..maxSteps; then checks everything, then starts an application.
     *
     * @return the keystore the application started with (the registry's active one)
     */
    private String killAndCheck(String operation, int maxSteps, String why) throws Exception {
        int step = 1 + random.nextInt(Math.max(1, maxSteps));
        String label = operation + " killed at step " + step + " (" + why + "), seed " + seed
                + " (replay with -Ddataenc.crashloop.seed=" + seed + ")";
        if (CrashingChild.runAndMaybeKill(LifecycleOpCrashChild.class, label, dir.toString(), registry.url(),
                registry.user(), operation, Integer.toString(step))) {
            kills++;
        }
        String resumeTo;
        try (ControlPlane look = open(clock, "a", false)) {
            checkAll(look, false, label + ", right after the kill");
            resumeTo = active(look);
        }
        try (ControlPlane app = open(clock, resumeTo, true)) {
            checkAll(app, true, label + ", after the next start");
            row(app, "after-" + rows.size() + "@example.com");
        }
        return resumeTo;
    }

    /** The registry's active keystore, or the target of its unfinished switch (what an application's file names). */
    private static String active(ControlPlane look) {
        return look.jobs().running().map(j -> j.target()).orElse(look.jobs().state().orElseThrow().activeKeystore());
    }

    private void checkAll(ControlPlane plane, boolean settled, String why) throws Exception {
        RegistryInvariants.check(plane, settled, why);
        LifecycleInvariants.retirement(plane, unscannedCdks(), why);
        LifecycleInvariants.destruction(plane, why);
        LifecycleInvariants.transitions(plane, why);
        try (Connection c = host(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email FROM customer ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                assertEquals(rows.get(rs.getInt(1)), plane.propertyCipher().decryptString(rs.getString(2), CONTEXT), why);
                n++;
            }
            assertEquals(rows.size(), n, why);
        }
        unscanned.forEach((ct, v) -> assertEquals(v, plane.propertyCipher().decryptString(ct, CONTEXT), why));
        if (settled) {
            VerifyReport verified = plane.verify();
            assertTrue(verified.ok(), why + ": " + verified);
        }
    }

    private Set<CdkId> unscannedCdks() {
        Set<CdkId> ids = new HashSet<>();
        unscanned.keySet().forEach(ct -> ids.add(PropertyCipher.cdkIdOf(ct)));
        return ids;
    }

    /** A value kept outside any table, under a CDK of its own that becomes DECRYPT_ONLY. */
    private void unscannedValue(ControlPlane plane) {
        plane.rotateCdk("crash loop");
        String v = "unscanned-" + unscanned.size();
        unscanned.put(plane.propertyCipher().encryptString(v, CONTEXT), v);
        plane.flushUsage();
    }

    /** Rows under {@code cdks} fresh CDKs, then one more rotation so that all of them are DECRYPT_ONLY. */
    private void oldRows(ControlPlane plane, int cdks) throws Exception {
        for (int i = 0; i < cdks; i++) {
            plane.rotateCdk("crash loop");
            row(plane, "old-" + rows.size() + "@example.com");
            row(plane, "old-" + rows.size() + "@example.com");
        }
        plane.rotateCdk("crash loop");
        plane.flushUsage();
    }

    private void row(ControlPlane plane, String email) throws Exception {
        int id = rows.size();
        try (Connection c = host(); PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, email) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setString(2, plane.propertyCipher().encryptString(email, CONTEXT));
            s.executeUpdate();
        }
        rows.put(id, email);
        plane.flushUsage();
    }

    /** Re-encrypts the host table under the ACTIVE CDK; its reference scan is the retirement evidence. */
    private void migrate(ControlPlane plane) throws Exception {
        try (JdbcRecordSource source = JdbcRecordSource.connect(hostUrl, hostUser, "").table("customer").key("id")
                .column("email:" + CONTEXT).build()) {
            new Migration(plane).run(MigrationRequest.of(source));
        }
    }

    private Connection host() throws Exception {
        return DriverManager.getConnection(hostUrl, hostUser, "");
    }

    private ControlPlane open(Clock at, String active, boolean reconcile) {
        DataEncConfig config = ControlFixture.config(registry, active, ControlFixture.local(dir, "a"),
                ControlFixture.local(dir, "b"));
        return ControlPlane.open(config, ControlFixture.options().withTool("parent").withClock(at).withReconcile(reconcile));
    }
}
