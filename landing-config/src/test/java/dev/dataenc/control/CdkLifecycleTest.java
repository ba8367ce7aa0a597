package dev.dataenc.control;

import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.lifecycle.CdkLifecycleRefusedException;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.lifecycle.RetirementResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.error.CdkDestroyedException;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ACTIVE -> DECRYPT_ONLY -> RETIRED (on reference evidence) -> DESTROYED, on a real H2 registry. */
class CdkLifecycleTest {

    private static final CdkReferenceEvidence PROVEN = (id, since) -> Optional.empty();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private DataEncConfig config() {
        return ControlFixture.config(dir, "a", ControlFixture.local(dir, "a"));
    }

    /** Opens a plane with a DECRYPT_ONLY CDK under which "old value" was encrypted; returns its ciphertext via holder. */
    private record Rotated(ControlPlane plane, Cdk old, String ciphertext) {
    }

    private Rotated rotated() {
        ControlPlane plane = ControlPlane.open(config(), ControlFixture.options().withClock(clock));
        String ciphertext = plane.propertyCipher().encryptString("old value", "ctx");
        CdkId oldId = plane.registry().findActive().orElseThrow().id();
        plane.rotateCdk("test");
        return new Rotated(plane, plane.registry().find(oldId).orElseThrow(), ciphertext);
    }

    /** Schedules the destruction of a RETIRED CDK with the shortest waiting period, lets it pass, completes it. */
    private Cdk destroyAfterWaiting(ControlPlane plane, CdkId id) {
        plane.destruction().schedule(id, Duration.ofDays(CdkDestruction.MIN_WAITING_DAYS));
        clock.advance(Duration.ofDays(CdkDestruction.MIN_WAITING_DAYS).plusSeconds(1));
        List<Cdk> destroyed = plane.destruction().completeDue();
        assertEquals(List.of(id), destroyed.stream().map(Cdk::id).toList());
        return destroyed.get(0);
    }

    private static Instant outOfUse(ControlPlane plane, Cdk cdk) {
        return plane.retirement(PROVEN).outOfUseSince(cdk);
    }

    @Test
    void everyLatestScanStartedAfterAndFoundNone_retired_andAudited() {
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            Instant after = outOfUse(plane, r.old()).plusSeconds(1);
            ScanEvidence scans = new ScanEvidence().scan("customer", after, Map.of()).scan("invoice", after,
                    Map.of(r.old().id(), 0L));

            RetirementResult result = plane.retireCdks(scans, false);

            assertEquals(java.util.List.of(r.old().id()), result.retired());
            assertTrue(result.kept().isEmpty());
            assertEquals(CdkStatus.RETIRED, plane.registry().find(r.old().id()).orElseThrow().status());
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_RETIRED).size());
            assertEquals(CdkStatus.ACTIVE, plane.registry().findActive().orElseThrow().status());
        }
    }

    @Test
    void decryptOnlySince_isWhenTheRotationHappened_andSettleAddsTheCacheRefresh() {
        Instant before = Instant.now().minusMillis(5);
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            Instant since = r.old().decryptOnlySince();
            assertTrue(!since.isBefore(before) && !since.isAfter(Instant.now()), since.toString());
            assertEquals(since.plus(plane.config().cache().activeRefresh()).plus(ControlPlane.IN_FLIGHT_MARGIN),
                    outOfUse(plane, r.old()));
        }
    }

    @Test
    void noScansYet_keptWithReason_nothingChanges() {
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            RetirementResult result = plane.retireCdks(CdkReferenceEvidence.noScansYet(), false);

            assertTrue(result.retired().isEmpty());
            assertTrue(result.kept().get(r.old().id()).contains("no reference scan has run yet"), result.kept().toString());
            assertEquals(CdkStatus.DECRYPT_ONLY, plane.registry().find(r.old().id()).orElseThrow().status());
            assertTrue(plane.audit().byAction(AuditAction.CDK_RETIRED).isEmpty());
        }
    }

    @Test
    void scanStartedBeforeTheCdkWentOutOfUse_refused() {
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            Instant tooEarly = outOfUse(plane, r.old()).minusSeconds(1);
            ScanEvidence scans = new ScanEvidence().scan("customer", tooEarly, Map.of());

            CdkLifecycleRefusedException e = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.retirement(scans).retire(r.old().id()));

            assertTrue(e.getMessage().contains("started at " + tooEarly), e.getMessage());
            assertEquals(CdkStatus.DECRYPT_ONLY, plane.registry().find(r.old().id()).orElseThrow().status());
        }
    }

    @Test
    void oneSourceStillReferencesIt_orOneSourceScannedTooEarly_refused() {
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            Instant after = outOfUse(plane, r.old()).plusSeconds(1);
            ScanEvidence referenced = new ScanEvidence().scan("customer", after, Map.of())
                    .scan("invoice", after, Map.of(r.old().id(), 12L));
            ScanEvidence staleSource = new ScanEvidence().scan("customer", after, Map.of())
                    .scan("invoice", after.minusSeconds(3600), Map.of());

            RetirementResult one = plane.retireCdks(referenced, false);
            RetirementResult two = plane.retireCdks(staleSource, true);

            assertTrue(one.kept().get(r.old().id()).contains("12 records in invoice"), one.kept().toString());
            assertTrue(two.kept().get(r.old().id()).contains("invoice"), two.kept().toString());
            assertTrue(one.retired().isEmpty() && two.retired().isEmpty());
            assertEquals(CdkStatus.DECRYPT_ONLY, plane.registry().find(r.old().id()).orElseThrow().status());
        }
    }

    @Test
    void dryRun_saysWhichWouldBeRetired_changesNothing() {
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            RetirementResult result = plane.retireCdks(PROVEN, true);

            assertEquals(java.util.List.of(r.old().id()), result.retired());
            assertEquals(CdkStatus.DECRYPT_ONLY, plane.registry().find(r.old().id()).orElseThrow().status());
        }
    }

    @Test
    void activeCdk_neverRetired_evenWithEvidence() {
        try (ControlPlane plane = ControlPlane.open(config(), ControlFixture.options())) {
            CdkId active = plane.registry().findActive().orElseThrow().id();

            CdkLifecycleRefusedException e = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.retirement(PROVEN).retire(active));
            RetirementResult all = plane.retireCdks(PROVEN, false);

            assertTrue(e.getMessage().contains("ACTIVE"), e.getMessage());
            assertTrue(all.retired().isEmpty());
            assertEquals(active, plane.registry().findActive().orElseThrow().id());
        }
    }

    @Test
    void destroy_onlyRetired_deletesWrappingsAfterTheWaitingPeriod_andAudits() {
        Rotated r = rotated();
        try (ControlPlane plane = r.plane()) {
            CdkId active = plane.registry().findActive().orElseThrow().id();
            Duration week = Duration.ofDays(7);
            CdkLifecycleRefusedException activeRefused = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.destruction().schedule(active, week));
            CdkLifecycleRefusedException decryptOnlyRefused = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.destruction().schedule(r.old().id(), week));
            assertTrue(activeRefused.getMessage().contains("only a RETIRED CDK"), activeRefused.getMessage());
            assertTrue(decryptOnlyRefused.getMessage().contains("Retire it first"), decryptOnlyRefused.getMessage());
            assertEquals(1, plane.registry().find(r.old().id()).orElseThrow().wrappings().size());

            plane.retirement(PROVEN).retire(r.old().id());
            Cdk destroyed = destroyAfterWaiting(plane, r.old().id());

            assertEquals(CdkStatus.DESTROYED, destroyed.status());
            assertTrue(plane.registry().find(r.old().id()).orElseThrow().wrappings().isEmpty());
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_DESTROYED).size());
            CdkLifecycleRefusedException again = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.destruction().schedule(r.old().id(), week), "already destroyed");
            assertTrue(again.getMessage().contains("already destroyed"), again.getMessage());
            assertEquals(0, plane.verify().unreadable().size(), "a destroyed CDK is not 'at risk'");
        }
    }

    @Test
    void decryptUnderDestroyedCdk_failsWithTypedErrorSayingWhen() {
        Rotated r = rotated();
        Instant destroyedAt;
        try (ControlPlane plane = r.plane()) {
            assertEquals("old value", plane.propertyCipher().decryptString(r.ciphertext(), "ctx"), "cached before");
            plane.retirement(PROVEN).retire(r.old().id());
            destroyedAt = destroyAfterWaiting(plane, r.old().id()).destroyedAt();

            CdkDestroyedException e = assertThrows(CdkDestroyedException.class,
                    () -> plane.propertyCipher().decryptString(r.ciphertext(), "ctx"));

            assertTrue(e.getMessage().contains("destroyed on purpose at " + destroyedAt), e.getMessage());
            assertEquals(r.old().id(), e.cdkId());
        }
        try (ControlPlane fresh = ControlPlane.open(config(), ControlFixture.options())) {
            CdkUnavailableException e = assertThrows(CdkUnavailableException.class,
                    () -> fresh.propertyCipher().decryptString(r.ciphertext(), "ctx"));
            assertTrue(e instanceof CdkDestroyedException, e.toString());
            assertEquals(destroyedAt, ((CdkDestroyedException) e).destroyedAt());
            assertFalse(e.getMessage().contains("old value"));
        }
    }

    @Test
    void switchAfterRetireAndDestroy_ignoresTheDestroyedCdk() {
        Rotated r = rotated();
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = r.plane()) {
            plane.retirement(PROVEN).retire(r.old().id());
            destroyAfterWaiting(plane, r.old().id());
        }
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            SwitchOutcome outcome = plane.switchKeystore("b");
            assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
            assertTrue(plane.registry().find(r.old().id()).orElseThrow().wrappings().isEmpty());
        }
    }

    /** The unwrapped key of {@code cdk} by {@code from}, wrapped by {@code to}, stored beside its other wrappings. */
    static void addWrapping(ControlPlane plane, Cdk cdk, Keystore from, Keystore to) {
        try (DataKey key = from.unwrap(cdk.id(), cdk.wrappings().get(0))) {
            plane.registry().addWrapping(cdk.id(), to.wrap(key));
        }
    }
}
