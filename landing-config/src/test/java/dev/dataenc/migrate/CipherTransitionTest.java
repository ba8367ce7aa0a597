package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.CipherType;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransition;
import dev.dataenc.control.transition.CipherTransitionRefusedException;
import dev.dataenc.control.transition.CipherTransitions;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a table's data away from a site cipher in the four guarded phases, on real H2 databases, a
 * real custom cipher class and a real local keystore: at no point is any value unreadable.
 */
class CipherTransitionTest {

    private static final String SITE_CIPHER = "dev.dataenc.custom.ExampleAesGcmCipher";

    @TempDir
    Path dir;

    private static KeystoreSettings site() {
        return KeystoreSettings.of("site", "custom", Map.of("class", SITE_CIPHER,
                "secret-key-hex", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "key-id", "site-1"));
    }

    @Test
    void customCipherToPlatform_fourPhases_eachRefusedUntilSafe_dataAlwaysReadable() throws Exception {
        MigrationFixture.Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        KeystoreSettings a = MigrationFixture.local(dir, "a");
        // status-change times 10 minutes in the past, so scans that run now count as "after the CDKs went out of use"
        ControlPlane.Options options = MigrationFixture.options("test")
                .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        Map<Integer, String[]> originals;
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), site(), a), options);
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            originals = MigrationFixture.fill(plane, dbs, 120, 2, 7);
            List<Cdk> siteCdks = plane.registry().list();
            CipherTransitions transitions = plane.cipherTransitions();

            // (1) a wraps every CDK; site stays active
            CipherTransition t = transitions.start("a");
            assertEquals(CipherPhase.NEW_DECRYPTS, t.phase());
            assertEquals("site", plane.jobs().state().orElseThrow().activeKeystore());
            assertTrue(plane.registry().list().stream().allMatch(c -> c.wrappingBy("a").isPresent()));
            assertReadable(plane, dbs, originals);
            assertThrows(CipherTransitionRefusedException.class, () -> transitions.start("a"), "one open transition");

            // (2) a encrypts; both decrypt
            t = transitions.advance();
            assertEquals(CipherPhase.NEW_ENCRYPTS, t.phase());
            assertEquals(CipherType.PLATFORM, plane.jobs().state().orElseThrow().cipherType());
            Cdk active = plane.registry().findActive().orElseThrow();
            assertFalse(active.wrappingBy("site").isPresent(), "the new ACTIVE CDK was never wrapped by the old cipher");

            // (3) refused while records may reference the old cipher's CDKs
            CipherTransitionRefusedException early = assertThrows(CipherTransitionRefusedException.class, transitions::advance);
            assertTrue(early.getMessage().contains("dataenc migrate"), early.getMessage());
            assertTrue(early.getMessage().contains(siteCdks.get(0).id().toString()), early.getMessage());
            assertEquals(CipherPhase.NEW_ENCRYPTS, transitions.open().orElseThrow().phase(), "nothing changed");

            new Migration(plane).run(MigrationRequest.of(source));
            assertReadable(plane, dbs, originals);
            plane.retireCdks(new ScanEvidence(plane.database()), false);
            assertTrue(siteCdks.stream().allMatch(c -> plane.registry().find(c.id()).orElseThrow().status() == CdkStatus.RETIRED));
            assertEquals(CipherPhase.MIGRATED, transitions.advance().phase());

            // (4) the old cipher's wrappings go; it is refused from now on
            t = transitions.advance();
            assertEquals(CipherPhase.OLD_REFUSED, t.phase());
            assertTrue(transitions.open().isEmpty());
            assertTrue(plane.registry().list().stream().allMatch(c -> c.wrappingBy("site").isEmpty()));
            SwitchRefusedException back = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("site"));
            assertTrue(back.getMessage().contains("refused cipher"), back.getMessage());
            assertReadable(plane, dbs, originals);
        }
        // the site cipher can leave the configuration: everything reads with a alone
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), a), options)) {
            assertReadable(plane, dbs, originals);
            assertTrue(plane.verify().ok());
        }
    }

    /** Every stored value decrypts to its original. */
    private static void assertReadable(ControlPlane plane, MigrationFixture.Databases dbs, Map<Integer, String[]> originals)
            throws Exception {
        for (Map.Entry<Integer, String[]> row : MigrationFixture.stored(dbs).entrySet()) {
            String[] v = row.getValue();
            String email = v[0] == null ? null : plane.propertyCipher().decryptString(v[0], "customer.email");
            String phone = v[1] == null ? null : plane.propertyCipher().decryptString(v[1], "Customer.phone");
            assertEquals(originals.get(row.getKey())[0], email);
            assertEquals(originals.get(row.getKey())[1], phone);
        }
    }
}
