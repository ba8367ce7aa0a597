package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.CrashingChild;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 loops: an admin operation runs in a child JVM that is killed at a random step (seeded: set
 * {@code -Ddataenc.crashloop.seed=N} to replay), several times in a row on one registry (PostgreSQL where
 * available, else embedded H2). After every kill: one ACTIVE CDK wrapped by the registry's active keystore
 * (or by the target of the unfinished switch), no CDK without a wrapping, every change audited, and after
 * the next application start (which resumes an unfinished switch) all of it with the switch finished and
 * every value ever encrypted decrypting.
 */
class AdminCrashLoopTest {

    private static final int KILLS = Integer.getInteger("dataenc.crashloop.kills", 4);

    @TempDir
    Path dir;

    private long seed;
    private Random random;
    private RegistrySettings registry;
    private KeystoreSettings a;
    private KeystoreSettings b;
    private final Map<String, String> values = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        seed = Long.getLong("dataenc.crashloop.seed", System.nanoTime());
        random = new Random(seed);
        System.out.println("AdminCrashLoopTest seed " + seed + " (replay with -Ddataenc.crashloop.seed=" + seed + ")");
        PostgresServer pg = PostgresServer.available().orElse(null);
        System.out.println("AdminCrashLoopTest registry: " + (pg == null ? "H2" : "PostgreSQL"));
        registry = pg == null ? new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", "")
                : new RegistrySettings(pg.newDatabase(), pg.user(), "");
        a = ControlFixture.local(dir, "a");
        b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = open("a", true)) {
            for (int i = 0; i < 3; i++) {
                plane.rotateCdk("setup");
                encrypt(plane, "setup-" + i);
            }
        }
    }

    private ControlPlane open(String active, boolean reconcile) {
        DataEncConfig config = ControlFixture.config(registry, active, a, b);
        return ControlPlane.open(config, ControlFixture.options().withTool("parent").withReconcile(reconcile));
    }

    private void encrypt(ControlPlane plane, String value) {
        values.put(plane.propertyCipher().encryptString(value, "ctx"), value);
    }

    private String why(String what) {
        return what + ", seed " + seed + " (replay with -Ddataenc.crashloop.seed=" + seed + ")";
    }

    /** Runs the child, killed at a random step in 1..maxSteps; then checks everything. */
    private boolean killAndCheck(String operation, int maxSteps, String why) throws Exception {
        int step = 1 + random.nextInt(maxSteps);
        String label = why(operation + " killed at step " + step + " (" + why + ")");
        boolean killed = CrashingChild.runAndMaybeKill(AdminOpCrashChild.class, label, dir.toString(), registry.url(),
                registry.user(), operation, Integer.toString(step));
        try (ControlPlane look = open("a", false)) {
            RegistryInvariants.check(look, false, label + ", right after the kill");
        }
        String resumeTo;
        try (ControlPlane look = open("a", false)) {
            resumeTo = look.jobs().running().map(j -> j.target()).orElse(look.jobs().state().orElseThrow().activeKeystore());
        }
        try (ControlPlane app = open(resumeTo, true)) {
            RegistryInvariants.check(app, true, label + ", after the next start");
            values.forEach((ct, v) -> assertEquals(v, app.propertyCipher().decryptString(ct, "ctx"), label));
            assertTrue(app.verify().ok(), label);
            encrypt(app, "after-" + values.size());
        }
        return killed;
    }

    private String activeKeystore() {
        try (ControlPlane look = open("a", false)) {
            return look.jobs().state().orElseThrow().activeKeystore();
        }
    }

    @Test
    void switchKilledAtRandomSteps_resumesEveryTime_losingNothing() throws Exception {
        for (int i = 0; i < KILLS; i++) {
            String target = activeKeystore().equals("a") ? "b" : "a";
            // a switch re-wraps only the CDKs in use that have no wrapping by the target yet (switching back and forth:
            // the one the previous switch made); its steps: job-started, cdk-generated, cdk-activated, cdk-wrapped and
            // cdk-rewrapped per such CDK, rewrapped, completed (before, 4 + i + 5 steps: later kills often missed)
            int toWrap;
            try (ControlPlane look = open("a", false)) {
                toWrap = (int) look.registry().list().stream()
                        .filter(c -> c.status().protectsData() && c.wrappingBy(target).isEmpty()).count();
            }
            killAndCheck("switch:" + target, 3 + 2 * toWrap + 2, "iteration " + i);
        }
    }

    @Test
    void removeWrappingsKilledAtRandomSteps_neverLeavesACdkWithoutAWrapping() throws Exception {
        for (int i = 0; i < KILLS; i++) {
            String target = activeKeystore().equals("a") ? "b" : "a";
            String old = target.equals("a") ? "b" : "a";
            int cdks;
            try (ControlPlane plane = open(old, false)) {
                plane.switchKeystore(target); // every CDK gets a wrapping by the target beside the old one
                cdks = plane.registry().list().size();
            }
            killAndCheck("remove-wrappings:" + old, cdks, "iteration " + i);
        }
    }

    @Test
    void rotateCdkKilledAtRandomSteps_oneActiveCdkAlwaysAudited() throws Exception {
        for (int i = 0; i < KILLS; i++) {
            killAndCheck("rotate-cdk:2", 4, "iteration " + i); // rotation-checked and rotated, twice
        }
    }
}
