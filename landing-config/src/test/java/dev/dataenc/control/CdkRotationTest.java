package dev.dataenc.control;

import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchUnfinishedException;
import dev.dataenc.control.lifecycle.RotationDue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotation policy in applications: by age (moved clock), by usage, one winner across nodes, never mid-switch. */
class CdkRotationTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private DataEncConfig config(long maxMessages, KeystoreSettings... keystores) {
        DataEncConfig c = ControlFixture.config(dir, keystores[0].name(), keystores);
        return new DataEncConfig(c.source(), c.cipherType(), c.activeKeystore(), c.keystores(), c.registry(), c.cache(),
                new RotationPolicy(RotationPolicy.DEFAULT_MAX_AGE, maxMessages), c.reloadInterval(), c.switchLease());
    }

    private DataEncConfig config() {
        return config(RotationPolicy.DEFAULT_MAX_MESSAGES, ControlFixture.local(dir, "a"));
    }

    private ControlPlane.Options app() {
        return ControlFixture.options().withClock(clock);
    }

    private static List<AuditEvent> automaticRotations(ControlPlane plane) {
        return plane.audit().byAction(AuditAction.CDK_ROTATED).stream()
                .filter(e -> e.detail().contains("automatic rotation")).toList();
    }

    @Test
    void activeCdkOlderThanMaxAge_rotatedOnOpen_auditedWithTheAge() {
        CdkId first;
        String ciphertext;
        try (ControlPlane plane = ControlPlane.open(config(), app())) {
            first = plane.registry().findActive().orElseThrow().id();
            ciphertext = plane.propertyCipher().encryptString("ada@example.com", "Customer.email");
        }
        clock.advance(Duration.ofDays(91));

        try (ControlPlane plane = ControlPlane.open(config(), app())) {
            Cdk active = plane.registry().findActive().orElseThrow();
            Cdk old = plane.registry().find(first).orElseThrow();

            assertNotEquals(first, active.id(), "a new ACTIVE CDK");
            assertEquals(CdkStatus.DECRYPT_ONLY, old.status());
            assertTrue(Duration.between(clock.instant(), old.decryptOnlySince()).abs().toMinutes() < 1,
                    "demoted now by the injected clock: " + old.decryptOnlySince());
            List<AuditEvent> rotated = automaticRotations(plane);
            assertEquals(1, rotated.size());
            assertTrue(rotated.get(0).detail().contains("age 91 days >= 90"), rotated.get(0).detail());
            assertEquals("ada@example.com", plane.propertyCipher().decryptString(ciphertext, "Customer.email"));
            assertTrue(plane.rotationDue().isEmpty(), "the new CDK is not due");
        }
    }

    @Test
    void activeCdkYoungerThanMaxAge_notRotated() {
        try (ControlPlane plane = ControlPlane.open(config(), app())) {
            CdkId first = plane.registry().findActive().orElseThrow().id();
            clock.advance(Duration.ofDays(89));

            assertEquals(Optional.empty(), plane.rotateIfDue());
            assertEquals(first, plane.registry().findActive().orElseThrow().id());
            assertEquals(1, plane.registry().list().size());
        }
    }

    @Test
    void maxMessagesReached_countingUnflushedEncryptions_rotates() {
        try (ControlPlane plane = ControlPlane.open(config(3, ControlFixture.local(dir, "a")), app())) {
            CdkId first = plane.registry().findActive().orElseThrow().id();
            plane.propertyCipher().encryptString("1", "ctx");
            plane.flushUsage();
            plane.propertyCipher().encryptString("2", "ctx");
            assertTrue(plane.rotationDue().isEmpty(), "2 < 3");
            plane.propertyCipher().encryptString("3", "ctx"); // not flushed yet

            RotationDue due = plane.rotationDue().orElseThrow();
            Optional<Cdk> rotated = plane.rotateIfDue();

            assertEquals(first, due.cdkId());
            assertEquals("3 encryptions >= 3", due.reason());
            assertTrue(rotated.isPresent());
            assertEquals(rotated.get().id(), plane.registry().findActive().orElseThrow().id());
            assertTrue(automaticRotations(plane).get(0).detail().contains("3 encryptions >= 3"));
            String next = plane.propertyCipher().encryptString("4", "ctx");
            assertEquals(rotated.get().id(), dev.dataenc.envelope.PropertyCipher.cdkIdOf(next), "new data under the new CDK");
        }
    }

    @Test
    void maxMessagesReached_rotatedOnTheFlushSchedule() throws InterruptedException {
        try (ControlPlane plane = ControlPlane.open(config(2, ControlFixture.local(dir, "a")),
                app().withUsageFlush(Duration.ofMillis(100)))) {
            CdkId first = plane.registry().findActive().orElseThrow().id();
            plane.propertyCipher().encryptString("1", "ctx");
            plane.propertyCipher().encryptString("2", "ctx");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (plane.registry().findActive().orElseThrow().id().equals(first) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            assertNotEquals(first, plane.registry().findActive().orElseThrow().id(), "rotated without being asked");
            assertEquals(1, automaticRotations(plane).size());
        }
    }

    @Test
    void twoNodesDueAtOnce_exactlyOneNewActiveCdk_theLoserReReads() throws Exception {
        try (ControlPlane node1 = ControlPlane.open(config(), app().withTool("node1"));
             ControlPlane node2 = ControlPlane.open(config(), app().withTool("node2"))) {
            clock.advance(Duration.ofDays(91));
            RotationDue due1 = node1.rotationDue().orElseThrow();
            RotationDue due2 = node2.rotationDue().orElseThrow();
            assertEquals(due1.cdkId(), due2.cdkId());

            Optional<Cdk> won = node1.rotate(due1);
            Optional<Cdk> lost = node2.rotate(due2);

            assertTrue(won.isPresent());
            assertTrue(lost.isEmpty(), "the second node finds the due CDK already replaced");
            assertEquals(2, node1.registry().list().size());
            assertEquals(won.get().id(), dev.dataenc.envelope.PropertyCipher.cdkIdOf(
                    node2.propertyCipher().encryptString("x", "ctx")), "the loser re-read the ACTIVE CDK");

            // and racing for real, from two threads
            clock.advance(Duration.ofDays(91));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Optional<Cdk>>> results = new ArrayList<>();
            try {
                for (ControlPlane node : List.of(node1, node2)) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return node.rotateIfDue();
                    }));
                }
                go.countDown();
                int rotations = 0;
                for (Future<Optional<Cdk>> f : results) {
                    rotations += f.get(60, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                }
                assertEquals(1, rotations);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(3, node1.registry().list().size(), "exactly one CDK per due moment");
            assertEquals(1, node1.registry().list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
            assertEquals(2, automaticRotations(node1).size());
        }
    }

    @Test
    void twoNodesOnPostgres_dueAtOnce_exactlyOneNewActiveCdk() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        DataEncConfig config = ControlFixture.config(new RegistrySettings(pg.newDatabase(), pg.user(), ""), "a",
                ControlFixture.local(dir, "a"));
        try (ControlPlane node1 = ControlPlane.open(config, app().withTool("node1"));
             ControlPlane node2 = ControlPlane.open(config, app().withTool("node2"))) {
            clock.advance(Duration.ofDays(91));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            int rotations = 0;
            try {
                List<Future<Optional<Cdk>>> results = new ArrayList<>();
                for (ControlPlane node : List.of(node1, node2)) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return node.rotateIfDue();
                    }));
                }
                go.countDown();
                for (Future<Optional<Cdk>> f : results) {
                    rotations += f.get(60, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, rotations);
            assertEquals(2, node2.registry().list().size());
            assertEquals(1, automaticRotations(node2).size());
        }
    }

    @Test
    void switchUnfinished_dueRotationWaits() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        CrashPoint dieAfterStart = name -> {
            if (name.equals("job-started")) {
                throw new IllegalStateException("simulated crash after " + name);
            }
        };
        try (ControlPlane plane = ControlPlane.open(config(RotationPolicy.DEFAULT_MAX_MESSAGES, a, b),
                app().withCrash(dieAfterStart))) {
            CdkId first = plane.registry().findActive().orElseThrow().id();
            SwitchUnfinishedException stopped = assertThrows(SwitchUnfinishedException.class, () -> plane.switchKeystore("b"));
            assertInstanceOf(IllegalStateException.class, stopped.getCause());
            assertTrue(plane.jobs().running().isPresent(), "the switch is unfinished");
            clock.advance(Duration.ofDays(91));

            assertTrue(plane.rotationDue().isPresent(), "due by age");
            assertEquals(Optional.empty(), plane.rotateIfDue());
            assertEquals(first, plane.registry().findActive().orElseThrow().id());
            assertEquals(1, plane.registry().list().size());
            assertTrue(automaticRotations(plane).isEmpty());
            assertTrue(plane.status().activeCdk().contains("ROTATION DUE (age 91 days >= 90)"), plane.status().activeCdk());
        }
    }

    @Test
    void adminControlPlane_neverRotatesOnOpen_butStatusSaysDue() {
        try (ControlPlane plane = ControlPlane.open(config(), app())) {
            plane.registry().findActive().orElseThrow();
        }
        clock.advance(Duration.ofDays(120));
        try (ControlPlane plane = ControlPlane.open(config(), ControlPlane.Options.admin("test").withClock(clock))) {
            assertEquals(1, plane.registry().list().size(), "looking changes nothing");
            assertTrue(plane.status().activeCdk().contains("120 days old"), plane.status().activeCdk());
            assertTrue(plane.status().activeCdk().contains("ROTATION DUE"), plane.status().activeCdk());
        }
    }
}
