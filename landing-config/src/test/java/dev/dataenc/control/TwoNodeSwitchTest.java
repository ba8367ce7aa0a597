package dev.dataenc.control;

import dev.dataenc.control.keyswitch.SwitchOutcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two independent control planes (two nodes) share one real PostgreSQL registry and start the
 * same keystore switch at the same moment: one job runs, the other waits for it, and both end on
 * the same ACTIVE CDK.
 */
class TwoNodeSwitchTest {

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void twoNodesSwitchAtOnce_oneJobRuns_bothEndOnTheSameActiveCdk() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        RegistrySettings registry = new RegistrySettings(pg.newDatabase(), pg.user(), "");
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        DataEncConfig config = ControlFixture.config(registry, "a", a, b);
        List<String> ciphertexts = new ArrayList<>();

        try (ControlPlane node1 = ControlPlane.open(config, ControlFixture.options().withTool("node1"));
             ControlPlane node2 = ControlPlane.open(config, ControlFixture.options().withTool("node2"))) {
            assertEquals(node1.registry().findActive().orElseThrow().id(), node2.registry().findActive().orElseThrow().id(),
                    "both nodes share the first CDK");
            for (int i = 0; i < 3; i++) {
                ciphertexts.add(node1.propertyCipher().encryptString("n1-" + i, "ctx"));
                ciphertexts.add(node2.propertyCipher().encryptString("n2-" + i, "ctx"));
                node1.rotateCdk("test");
            }

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<SwitchOutcome> f1 = pool.submit(() -> {
                    go.await();
                    return node1.switchKeystore("b");
                });
                Future<SwitchOutcome> f2 = pool.submit(() -> {
                    go.await();
                    return node2.switchKeystore("b");
                });
                go.countDown();
                SwitchOutcome o1 = f1.get(60, TimeUnit.SECONDS);
                SwitchOutcome o2 = f2.get(60, TimeUnit.SECONDS);
                Set<SwitchOutcome.How> hows = EnumSet.of(o1.how(), o2.how());
                assertTrue(hows.contains(SwitchOutcome.How.COMPLETED), "one node ran the job: " + hows);
                assertTrue(hows.contains(SwitchOutcome.How.JOINED) || hows.contains(SwitchOutcome.How.ALREADY_ACTIVE),
                        "the other waited for it or found it done: " + hows);
                assertEquals(4, o1.rewrapped() + o2.rewrapped(), "each CDK was re-wrapped once, by one node");
            } finally {
                pool.shutdownNow();
            }

            assertEquals(1, node1.jobs().history(10).size(), "one switch job");
            assertEquals(1, node1.audit().byAction(AuditAction.SWITCH_STARTED).size());
            assertEquals(1, node1.registry().list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
            assertEquals(node1.registry().findActive().orElseThrow().id(), node2.registry().findActive().orElseThrow().id());
            assertEquals("b", node2.jobs().state().orElseThrow().activeKeystore());
            String fresh1 = node1.propertyCipher().encryptString("after", "ctx");
            String fresh2 = node2.propertyCipher().encryptString("after", "ctx");
            assertEquals(dev.dataenc.envelope.PropertyCipher.cdkIdOf(fresh1), dev.dataenc.envelope.PropertyCipher.cdkIdOf(fresh2));
            for (String c : ciphertexts) {
                assertTrue(node2.propertyCipher().decryptString(c, "ctx").startsWith("n"));
            }
        }
    }
}
