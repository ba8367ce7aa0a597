package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CDK activated beside a switch by a writer that does not take the registry's control lock (an older
 * node, or the state such a race left behind) still ends up wrapped by the active keystore.
 */
class KeystoreSwitchRepairTest {

    @TempDir
    Path dir;

    /** Activates a new CDK wrapped only by {@code keystore}, straight in the registry (no lock, as an old node). */
    static Cdk activateRaw(ControlPlane plane, String keystore) {
        Keystore ks = plane.keystores().get(keystore).orElseThrow();
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            Cdk cdk = new Cdk(id, CdkStatus.ACTIVE, Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(g.wrapping()));
            plane.registry().activate(cdk, plane.registry().findActive().map(Cdk::id).orElse(null));
            plane.audit().record(AuditAction.CDK_ROTATED, id, keystore, "activated without the control lock (test)");
            return cdk;
        }
    }

    @Test
    void cdkActivatedWhileSwitchRewraps_isRewrappedBeforeTheSwitchCompletes() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        AtomicReference<ControlPlane> self = new AtomicReference<>();
        AtomicReference<Cdk> intruder = new AtomicReference<>();
        CrashPoint midRewrap = step -> {
            if (step.equals("cdk-rewrapped") && intruder.get() == null) {
                intruder.set(activateRaw(self.get(), "a"));
            }
        };
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b),
                ControlFixture.options().withCrash(midRewrap))) {
            self.set(plane);
            plane.rotateCdk("setup");
            String before = plane.propertyCipher().encryptString("before", "ctx");

            SwitchOutcome outcome = plane.switchKeystore("b");

            assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
            Cdk active = plane.registry().findActive().orElseThrow();
            assertEquals(intruder.get().id(), active.id(), "the intruder replaced the switch's CDK as ACTIVE");
            assertTrue(active.wrappingBy("b").isPresent(), "the switch re-read the CDKs and wrapped the intruder too");
            RegistryInvariants.check(plane, true, "after the switch");
            assertEquals("before", plane.propertyCipher().decryptString(before, "ctx"));
        }
        try (ControlPlane onlyB = ControlPlane.open(ControlFixture.config(dir, "b", b), ControlFixture.options())) {
            assertTrue(onlyB.verify().ok(), "b alone unwraps every CDK");
        }
    }

    @Test
    void switchToActiveKeystore_activeCdkLacksItsWrapping_repairsInsteadOfAlreadyActiveOnly() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            plane.switchKeystore("b");
            Cdk stray = activateRaw(plane, "a"); // the state the rotation/switch race left behind before the fix

            SwitchOutcome outcome = plane.switchKeystore("b");

            assertEquals(SwitchOutcome.How.ALREADY_ACTIVE, outcome.how());
            assertEquals(1, outcome.rewrapped(), "the ACTIVE CDK was re-wrapped under 'b'");
            assertTrue(plane.registry().find(stray.id()).orElseThrow().wrappingBy("b").isPresent());
            assertTrue(plane.audit().byAction(AuditAction.CDK_REWRAPPED).stream()
                    .anyMatch(e -> stray.id().equals(e.cdkId()) && e.detail().startsWith("repair")));
            RegistryInvariants.check(plane, true, "after the repair");
            assertEquals(0, plane.switchKeystore("b").rewrapped(), "nothing left to repair");
        }
    }
}
