package dev.dataenc.control;

import dev.dataenc.control.guard.CipherTypeGuard;
import dev.dataenc.control.guard.GuardResult;
import dev.dataenc.control.keyswitch.SwitchPlan;
import dev.dataenc.control.keyswitch.SwitchRefusedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.config.CipherType;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Switching between cipher types: allowed while the old cipher can still unwrap, refused when its class is gone. */
class CipherTypeSwitchTest {

    private static final String SITE_CIPHER = "dev.dataenc.custom.ExampleAesGcmCipher";

    @TempDir
    Path dir;

    private static KeystoreSettings site(String className) {
        return KeystoreSettings.of("site", "custom", Map.of("class", className,
                "secret-key-hex", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "key-id", "site-1"));
    }

    @Test
    void customCipherClassGone_cipherTypeSwitchRefused_listingItsCdks_andNothingChanges() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        String id;
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "site", site(SITE_CIPHER), a),
                ControlFixture.options())) {
            assertEquals(CipherType.CUSTOM, plane.jobs().state().orElseThrow().cipherType());
            plane.propertyCipher().encryptString("secret", "ctx");
            plane.flushUsage();
            id = plane.registry().findActive().orElseThrow().id().toString();
        }
        // the site's jar was removed: its class no longer loads
        try (ControlPlane plane = ControlPlane.open(
                ControlFixture.config(dir, "site", site("com.example.RemovedSiteCipher"), a),
                ControlPlane.Options.admin("test"))) {
            KeystoreSwitchTest.Snapshot before = KeystoreSwitchTest.Snapshot.of(plane);
            SwitchPlan plan = plane.planSwitch("a");
            GuardResult cipher = plan.checks().stream().filter(r -> r.guard().equals(CipherTypeGuard.NAME)).findFirst().orElseThrow();
            assertFalse(cipher.passed());
            assertTrue(cipher.message().contains("custom -> platform"), cipher.message());
            assertTrue(cipher.message().contains("RemovedSiteCipher"), cipher.message());
            assertTrue(cipher.message().contains(id), cipher.message());
            assertTrue(cipher.message().contains("1 property value and 0 BLOBs"), cipher.message());

            SwitchRefusedException e = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("a"));
            assertTrue(e.getMessage().contains("cipher type"), e.getMessage());
            assertEquals(before, KeystoreSwitchTest.Snapshot.of(plane));
        }
    }

    @Test
    void customToPlatform_whileOldCipherAvailable_rewrapsAndOldCipherCanThenGo() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        String ciphertext;
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "site", site(SITE_CIPHER), a),
                ControlFixture.options())) {
            ciphertext = plane.propertyCipher().encryptString("secret", "ctx");
            SwitchPlan plan = plane.planSwitch("a");
            assertTrue(plan.allowed(), String.join("\n", plan.lines()));
            plane.switchKeystore("a");
            assertEquals(CipherType.PLATFORM, plane.jobs().state().orElseThrow().cipherType());
        }
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a), ControlFixture.options())) {
            assertEquals("secret", plane.propertyCipher().decryptString(ciphertext, "ctx"));
        }
    }
}
