package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.ClusterSettings;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.cluster.ClusterNode;
import dev.dataenc.control.cluster.MasterKeyMismatchException;
import dev.dataenc.control.cluster.RotationPolicyStore;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Wrapping;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry is the source of truth for the data-encryption state: a node whose file disagrees follows the
 * registry and shows as drift; a file edit switches only where enabled, and only through the guards. Real H2,
 * real {@code local} keystores.
 */
class RegistryDecidesTest {

    @TempDir
    Path dir;

    private DataEncConfig config(String active) {
        return ControlFixture.config(dir, active, ControlFixture.local(dir, "a"), ControlFixture.local(dir, "b"));
    }

    private static DataEncConfig withPolicy(DataEncConfig c, RotationPolicy p) {
        return new DataEncConfig(c.source(), c.cipherType(), c.activeKeystore(), c.keystores(), c.registry(), c.cache(), p,
                c.reloadInterval(), c.switchLease(), c.cluster());
    }

    private static List<String> keystoresOf(Cdk cdk) {
        return cdk.wrappings().stream().map(Wrapping::keystoreName).distinct().sorted().toList();
    }

    @Test
    void restartWithStaleFileAfterSwitch_followsRegistry_showsDrift_doesNotSwitchBack() {
        String before;
        try (ControlPlane plane = ControlPlane.open(config("a"), ControlFixture.options())) {
            before = plane.propertyCipher().encryptString("before", "ctx");
            plane.switchKeystore("b"); // the admin's explicit switch
        }

        try (ControlPlane stale = ControlPlane.open(config("a"), ControlFixture.options())) {
            assertEquals("b", stale.jobs().state().orElseThrow().activeKeystore(), "the cluster did not move back");
            assertEquals("b", stale.config().activeKeystore(), "the node follows the registry");
            assertEquals(1, stale.jobs().history(10).size(), "no switch back");
            String after = stale.propertyCipher().encryptString("after", "ctx");
            Cdk active = stale.registry().find(PropertyCipher.cdkIdOf(after)).orElseThrow();
            assertEquals(List.of("b"), keystoresOf(active), "new data goes under the registry's keystore");
            assertEquals("before", stale.propertyCipher().decryptString(before, "ctx"));
            ClusterNode me = stale.cluster().nodes().get(0);
            assertEquals("a", me.report().fileActiveKeystore());
            assertTrue(me.report().drift().contains("the file names active keystore 'a', the registry 'b'"),
                    me.report().drift());
            assertTrue(String.join("\n", stale.cluster().lines()).contains("DRIFT"));
        }
    }

    @Test
    void reloadWithStaleFile_followsRegistry_andIsApplied() {
        try (ControlPlane plane = ControlPlane.open(config("a"), ControlFixture.options())) {
            plane.switchKeystore("b");

            assertTrue(plane.apply(config("a")));

            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            assertEquals("b", plane.config().activeKeystore());
            assertEquals(1, plane.jobs().history(10).size(), "a reload never switches unless enabled");
        }
    }

    @Test
    void staleFileNamingUnconfiguredRegistryKeystore_failsAtStartWithWhatToAdd() {
        try (ControlPlane plane = ControlPlane.open(config("a"), ControlFixture.options())) {
            plane.switchKeystore("b");
        }
        DataEncConfig onlyA = ControlFixture.config(dir, "a", ControlFixture.local(dir, "a"));
        var e = assertThrows(dev.dataenc.error.DataEncException.class, () -> ControlPlane.open(onlyA, ControlFixture.options()));
        assertTrue(e.getMessage().contains("the registry's active keystore is 'b'"), e.getMessage());
        assertTrue(e.getMessage().contains("dataenc.keystores.b."), e.getMessage());
    }

    @Test
    void fileSwitchEnabled_switchesThroughTheGuardedSwitch() {
        try (ControlPlane plane = ControlPlane.open(config("a"), ControlFixture.options())) {
            plane.propertyCipher().encryptString("x", "ctx");
        }
        DataEncConfig enabled = config("b").withCluster(ClusterSettings.defaults().withSwitchOnFileChange(true));
        try (ControlPlane plane = ControlPlane.open(enabled, ControlFixture.options())) {
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            assertEquals(1, plane.audit().byAction(AuditAction.SWITCH_COMPLETED).size());
            assertNull(plane.cluster().nodes().get(0).report().drift());
        }
    }

    @Test
    void staleFileDuringNewEncrypts_evenWithFileSwitchEnabled_neverReactivatesTheRetiringCipher() {
        try (ControlPlane plane = ControlPlane.open(config("a"), ControlFixture.options())) {
            plane.propertyCipher().encryptString("x", "ctx");
            plane.cipherTransitions().start("b");
            assertEquals(CipherPhase.NEW_ENCRYPTS, plane.cipherTransitions().advance().phase());
        }
        DataEncConfig stale = config("a").withCluster(ClusterSettings.defaults().withSwitchOnFileChange(true));
        try (ControlPlane plane = ControlPlane.open(stale, ControlFixture.options())) {
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            assertEquals(CipherPhase.NEW_ENCRYPTS, plane.cipherTransitions().open().orElseThrow().phase());
            assertTrue(plane.status().lastRefusal().orElseThrow().contains("is being retired by cipher transition"),
                    plane.status().lastRefusal().get());
            String v = plane.propertyCipher().encryptString("y", "ctx");
            assertEquals(List.of("b"), keystoresOf(plane.registry().find(PropertyCipher.cdkIdOf(v)).orElseThrow()));
        }
    }

    @Test
    void rotationPolicy_recordedFromFirstFile_laterFilesAreDrift_policySetChangesIt() {
        RotationPolicy first = new RotationPolicy(Duration.ofDays(60), 1000);
        try (ControlPlane plane = ControlPlane.open(withPolicy(config("a"), first), ControlFixture.options())) {
            assertEquals(first, plane.rotationPolicyInForce());
        }
        // a node whose file says "rotate after 1 encryption" does not impose that on the cluster
        DataEncConfig tight = withPolicy(config("a"), new RotationPolicy(Duration.ofDays(60), 1));
        try (ControlPlane plane = ControlPlane.open(tight, ControlFixture.options())) {
            Cdk active = plane.registry().findActive().orElseThrow();
            plane.propertyCipher().encryptString("1", "ctx");
            plane.propertyCipher().encryptString("2", "ctx");
            plane.flushUsage();

            assertTrue(plane.rotateIfDue().isEmpty(), "the registry's policy (1000) is in force, not the file's (1)");
            assertEquals(active.id(), plane.registry().findActive().orElseThrow().id());
            assertEquals(first, plane.rotationPolicyInForce());
            assertTrue(plane.cluster().nodes().get(0).report().drift().contains("rotation policy"));

            RotationPolicy next = new RotationPolicy(Duration.ofDays(30), 2);
            new RotationPolicyStore(plane.database()).set(next, "admin");
            assertEquals(next, plane.rotationPolicyInForce());
            assertEquals(1, plane.audit().byAction(AuditAction.ROTATION_POLICY_CHANGED).size());
            assertTrue(plane.rotateIfDue().isPresent(), "2 encryptions recorded reach the new limit");
        }
    }

    @Test
    void nodeWithItsOwnLocalKeystoreFile_failsAtStartWithBothMasterKeysAndTheRemedy() throws Exception {
        try (ControlPlane first = ControlPlane.open(config("a"), ControlFixture.options())) {
            first.propertyCipher().encryptString("x", "ctx");
        }
        Path other = Files.createDirectory(dir.resolve("other-node"));
        // same name, but a file this node created itself: another master key
        KeystoreSettings ownA = KeystoreSettings.of("a", "local", java.util.Map.of("path", other.resolve("a.p12").toString(),
                "password", ControlFixture.PASSWORD, "master-key", "mk-a"));
        dev.dataenc.keystore.Keystores.createMasterKey(ownA);
        DataEncConfig secondNode = ControlFixture.config(ControlFixture.config(dir, "a", ControlFixture.local(dir, "a"))
                .registry(), "a", ownA);

        MasterKeyMismatchException e = assertThrows(MasterKeyMismatchException.class,
                () -> ControlPlane.open(secondNode, ControlFixture.options()));

        assertTrue(e.getMessage().contains("keystore 'a' holds master key '"), e.getMessage());
        assertTrue(e.getMessage().contains("the ACTIVE CDK is wrapped under master key '"), e.getMessage());
        assertTrue(e.getMessage().contains("copy " + other.resolve("a.p12")), e.getMessage());
        assertFalse(e.getMessage().contains(ControlFixture.PASSWORD));
    }

    @Test
    void nodes_registerHeartbeatAndLeave_silentOnesGoStaleThenExpire_adminCommandsDoNotRegister() throws Exception {
        DataEncConfig c = config("a").withCluster(new ClusterSettings(false, 3, Duration.ofMillis(1500)));
        try (ControlPlane app = ControlPlane.open(c, ControlFixture.options().withUsageFlush(Duration.ofMillis(100)))) {
            app.propertyCipher().encryptString("x", "ctx");
            try (ControlPlane admin = ControlPlane.open(c, ControlPlane.Options.admin("dataenc-cli"))) {
                assertEquals(1, admin.cluster().nodes().size(), "the admin command is not a node");
                ClusterNode n = admin.cluster().nodes().get(0);
                assertEquals(app.nodeId().orElseThrow(), n.identity().id());
                assertEquals(ProcessHandle.current().pid(), n.identity().pid());
                assertTrue(n.report().keystores().contains("a (local): ENABLED, master key 'mk-a/"), n.report().keystores());
                assertNotNull(n.identity().version());
            }
            // a node that died without closing (its row stays): silent rows go stale, then any live node deletes them
            var store = new dev.dataenc.control.cluster.NodeStore(app.database());
            var dead = new dev.dataenc.control.cluster.NodeIdentity("00000000-0000-0000-0000-00000000dead", "gone", 1, "app",
                    "old");
            store.heartbeat(dead, Duration.ofMillis(100), app.cluster().nodes().get(0).report());
            awaitTrue(() -> app.cluster().stale().stream().anyMatch(x -> x.identity().equals(dead)), "dead node stale");
            assertTrue(app.cluster().live().stream().anyMatch(x -> x.identity().id().equals(app.nodeId().get())));
            awaitTrue(() -> app.cluster().nodes().stream().noneMatch(x -> x.identity().equals(dead)), "dead node expired");
        }
        try (ControlPlane admin = ControlPlane.open(c, ControlPlane.Options.admin("dataenc-cli"))) {
            assertTrue(admin.cluster().nodes().isEmpty(), "a node leaves on close");
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
