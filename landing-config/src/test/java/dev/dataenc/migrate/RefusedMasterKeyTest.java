package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransitions;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cipher refused by a finished transition stays refused under another name: the refused-cipher guard matches
 * the master key's identity, not only the keystore's name.
 */
class RefusedMasterKeyTest {

    private static final String SITE_CIPHER = "dev.dataenc.custom.ExampleAesGcmCipher";
    private static final String SITE_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dir;

    private static KeystoreSettings custom(String name, String keyHex, String keyId) {
        return KeystoreSettings.of(name, "custom", Map.of("class", SITE_CIPHER, "secret-key-hex", keyHex, "key-id", keyId));
    }

    @Test
    void refusedCipherRenamed_sameMasterKey_switchRefused_newMasterKeyAllowed() throws Exception {
        MigrationFixture.Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        KeystoreSettings a = MigrationFixture.local(dir, "a");
        ControlPlane.Options options = MigrationFixture.options("test")
                .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), custom("site", SITE_KEY, "site-1"), a),
                options);
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            MigrationFixture.fill(plane, dbs, 20, 1, 5);
            CipherTransitions transitions = plane.cipherTransitions();
            transitions.start("a");
            transitions.advance();
            new Migration(plane).run(MigrationRequest.of(source));
            plane.retireCdks(new ScanEvidence(plane.database()), false);
            transitions.advance();
            assertEquals(CipherPhase.OLD_REFUSED, transitions.advance().phase());
        }
        // the same site cipher and key, renamed: refused by identity
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), a,
                custom("renamed", SITE_KEY, "site-1")), options)) {
            String before = plane.jobs().state().orElseThrow().activeKeystore();
            SwitchRefusedException refused = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("renamed"));
            assertTrue(refused.getMessage().contains("refused cipher"), refused.getMessage());
            assertTrue(refused.getMessage().contains("'site'"), "names the refused keystore: " + refused.getMessage());
            assertEquals(before, plane.jobs().state().orElseThrow().activeKeystore(), "nothing changed");
        }
        // a custom keystore with a new master key passes this guard
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), a,
                custom("fresh", "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100", "site-2")), options)) {
            assertTrue(plane.planSwitch("fresh").refusals().stream().noneMatch(r -> r.guard().equals("refused cipher")),
                    plane.planSwitch("fresh").refusals().toString());
        }
    }
}
