package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.keyswitch.SwitchJob;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchPhase;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.testing.CrashingChild;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A switch killed half way whose target keystore then broke: nodes keep starting and serving what they
 * can unwrap, and an admin can cancel (roll back) the switch while its new CDK has encrypted nothing,
 * or resume it once the target works again.
 */
class StuckSwitchTest {

    @TempDir
    Path dir;

    private KeystoreSettings a;
    private KeystoreSettings b;
    private final Map<String, String> values = new LinkedHashMap<>();
    private CdkId previousActive;

    /** Two CDKs with data under 'a', then a switch to 'b' killed (kill -9) after its first re-wrap. */
    @BeforeEach
    void switchKilledHalfWay() throws Exception {
        a = ControlFixture.local(dir, "a");
        b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            for (int i = 0; i < 2; i++) {
                plane.rotateCdk("setup");
                String v = "value-" + i;
                values.put(plane.propertyCipher().encryptString(v, "ctx"), v);
            }
            previousActive = plane.registry().findActive().orElseThrow().id();
        }
        CrashingChild.runAndKill(SwitchCrashChild.class, "switch killed after one re-wrap", dir.toString(), "cdk-rewrapped:1");
    }

    private void breakKeystore(String name) {
        try (Keystore ks = Keystores.create(ControlFixture.local(dir, name))) {
            ((MasterKeyAdmin) ks).disableMasterKey();
        }
    }

    @Test
    void targetBroke_nodeStillStartsAndDecrypts_thenCancelRestoresThePreviousActiveCdk() {
        breakKeystore("b");

        try (ControlPlane node = ControlPlane.open(ControlFixture.config(dir, "b", a, b), ControlFixture.options())) {
            SwitchJob stuck = node.jobs().running().orElseThrow();
            assertTrue(node.status().lastRefusal().orElseThrow().contains("cannot continue"), node.status().lines().toString());
            assertTrue(node.status().lines().stream().anyMatch(l -> l.contains("IN PROGRESS")), node.status().lines().toString());
            values.forEach((ct, v) -> assertEquals(v, node.propertyCipher().decryptString(ct, "ctx")));

            SwitchJob cancelled = node.cancelSwitch();

            assertEquals(SwitchPhase.CANCELLED, cancelled.phase());
            assertTrue(node.jobs().running().isEmpty());
            assertEquals("a", node.jobs().state().orElseThrow().activeKeystore());
            assertEquals(previousActive, node.registry().findActive().orElseThrow().id(), "the previous ACTIVE CDK is back");
            assertEquals(CdkStatus.RETIRED, node.registry().find(stuck.newCdkId()).orElseThrow().status());
            assertEquals(1, node.audit().byAction(AuditAction.SWITCH_CANCELLED).size());
            String fresh = node.propertyCipher().encryptString("after cancel", "ctx");
            assertEquals(previousActive, PropertyCipher.cdkIdOf(fresh));
            assertEquals("after cancel", node.propertyCipher().decryptString(fresh, "ctx"));
            RegistryInvariants.check(node, true, "after the cancel");
            assertThrows(SwitchRefusedException.class, node::cancelSwitch, "nothing left to cancel");
        }
    }

    @Test
    void newCdkEncryptedData_cancelRefusedWithTheReason_resumeFinishes() {
        CdkId newCdk;
        String underNew;
        try (ControlPlane admin = ControlPlane.open(ControlFixture.config(dir, "a", a, b),
                ControlFixture.options().withReconcile(false))) {
            newCdk = admin.jobs().running().orElseThrow().newCdkId();
            underNew = admin.propertyCipher().encryptString("under the new CDK", "ctx");
            assertEquals(newCdk, PropertyCipher.cdkIdOf(underNew));
            admin.flushUsage();

            SwitchRefusedException refused = assertThrows(SwitchRefusedException.class, admin::cancelSwitch);

            assertTrue(refused.getMessage().contains("has encrypted 1 value(s)"), refused.getMessage());
            assertTrue(refused.getMessage().contains("dataenc switch b"), refused.getMessage());
            assertTrue(admin.jobs().running().isPresent(), "nothing changed");
            assertEquals(newCdk, admin.registry().findActive().orElseThrow().id());
            assertTrue(admin.audit().byAction(AuditAction.SWITCH_CANCELLED).isEmpty());

            SwitchOutcome resumed = admin.switchKeystore("b");

            assertEquals(SwitchOutcome.How.RESUMED, resumed.how());
            RegistryInvariants.check(admin, true, "after the resume");
            assertEquals("under the new CDK", admin.propertyCipher().decryptString(underNew, "ctx"));
        }
        try (ControlPlane onlyB = ControlPlane.open(ControlFixture.config(dir, "b", b), ControlFixture.options())) {
            values.forEach((ct, v) -> assertEquals(v, onlyB.propertyCipher().decryptString(ct, "ctx")));
            assertEquals(1, onlyB.registry().list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).map(Cdk::id)
                    .filter(newCdk::equals).count());
        }
    }
}
