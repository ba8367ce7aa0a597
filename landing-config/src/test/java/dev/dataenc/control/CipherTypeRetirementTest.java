package dev.dataenc.control;

import dev.dataenc.control.guard.CipherTypeGuard;
import dev.dataenc.control.guard.GuardResult;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchPlan;
import dev.dataenc.control.lifecycle.RetirementResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.CipherType;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cipher-type guard refuses a switch away from a custom cipher whose class is gone while a CDK
 * in use depends on it alone; once a migration proved those CDKs unreferenced and they are RETIRED,
 * the same switch is allowed.
 */
class CipherTypeRetirementTest {

    private static final String SITE_CIPHER = "dev.dataenc.custom.ExampleAesGcmCipher";

    @TempDir
    Path dir;

    private static KeystoreSettings site(String className) {
        return KeystoreSettings.of("site", "custom", Map.of("class", className,
                "secret-key-hex", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "key-id", "site-1"));
    }

    @Test
    void customCipherClassGone_switchRefused_thenAllowedOnceItsCdksAreRetired() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        CdkId oldSiteCdk;
        CdkId active;
        String current;
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "site", site(SITE_CIPHER), a),
                ControlFixture.options())) {
            oldSiteCdk = plane.registry().findActive().orElseThrow().id();
            plane.propertyCipher().encryptString("migrated later", "ctx");
            Cdk next = plane.rotateCdk("test");
            active = next.id();
            current = plane.propertyCipher().encryptString("current", "ctx");
            // the ACTIVE CDK also got a wrapping by 'a' (e.g. a re-wrap while the site cipher was still there), so only
            // the old DECRYPT_ONLY CDK depends on the site cipher alone
            CdkLifecycleTest.addWrapping(plane, next, plane.keystores().get("site").orElseThrow(),
                    plane.keystores().get("a").orElseThrow());
        }
        // the site's jar was removed: its class no longer loads
        try (ControlPlane plane = ControlPlane.open(
                ControlFixture.config(dir, "site", site("com.example.RemovedSiteCipher"), a),
                ControlPlane.Options.admin("test"))) {
            GuardResult before = cipherGuard(plane.planSwitch("a"));
            assertFalse(before.passed());
            assertTrue(before.message().contains(oldSiteCdk.toString()), before.message());
            assertFalse(before.message().contains(active.toString()), "the ACTIVE CDK has a usable wrapping: "
                    + before.message());

            // a migration re-encrypted every record and its scans found none under the old CDK
            RetirementResult retired = plane.retireCdks((id, since) -> Optional.empty(), false);
            assertEquals(java.util.List.of(oldSiteCdk), retired.retired());

            SwitchPlan after = plane.planSwitch("a");
            assertTrue(cipherGuard(after).passed(), cipherGuard(after).message());
            assertTrue(after.allowed(), String.join("\n", after.lines()));
            assertEquals(SwitchOutcome.How.COMPLETED, plane.switchKeystore("a").how());
            assertEquals(CipherType.PLATFORM, plane.jobs().state().orElseThrow().cipherType());
            assertEquals(CdkStatus.RETIRED, plane.registry().find(oldSiteCdk).orElseThrow().status());
            assertEquals("current", plane.propertyCipher().decryptString(current, "ctx"), "still readable by 'a'");
        }
    }

    private static GuardResult cipherGuard(SwitchPlan plan) {
        return plan.checks().stream().filter(r -> r.guard().equals(CipherTypeGuard.NAME)).findFirst().orElseThrow();
    }
}
