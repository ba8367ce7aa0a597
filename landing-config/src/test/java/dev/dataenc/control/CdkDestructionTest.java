package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.lifecycle.CdkLifecycleRefusedException;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.lifecycle.DestructionSchedule;
import dev.dataenc.control.lifecycle.RetirementResult;
import dev.dataenc.error.CdkDestroyedException;
import dev.dataenc.error.CdkDestructionScheduledException;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.keystore.Wrapping;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled destruction on a real H2 registry and {@code local} keystore, with an injectable clock: cancel
 * works; use during the waiting period is refused and audited as an alarm; after the period the wrappings are
 * gone. And BLOB usage keeps a CDK from retirement (and destruction) unless an operator attests.
 */
class CdkDestructionTest {

    private static final CdkReferenceEvidence PROVEN = (id, since) -> Optional.empty();
    private static final Duration WEEK = Duration.ofDays(7);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private ControlPlane open() {
        return ControlPlane.open(ControlFixture.config(dir, "a", ControlFixture.local(dir, "a")),
                ControlFixture.options().withClock(clock));
    }

    /** A retired CDK under which {@code ciphertext} was made. */
    private record Retired(CdkId id, String ciphertext) {
    }

    private static Retired retired(ControlPlane plane) {
        String ciphertext = plane.propertyCipher().encryptString("kept value", "Customer.email");
        CdkId old = plane.registry().findActive().orElseThrow().id();
        plane.rotateCdk("test");
        plane.flushUsage();
        plane.retirement(PROVEN).retire(old);
        return new Retired(old, ciphertext);
    }

    @Test
    void schedule_keepsWrappings_cancelMakesItRetiredAgain_andItDecryptsAgain() {
        try (ControlPlane plane = open()) {
            Retired r = retired(plane);
            List<Wrapping> wrappings = plane.registry().find(r.id()).orElseThrow().wrappings();

            DestructionSchedule s = plane.destruction().schedule(r.id(), Duration.ofDays(30));

            assertEquals(1, s.usage().propertyValues(), "shows its usage counts");
            assertTrue(s.dueAt().isAfter(clock.instant().plus(Duration.ofDays(29))), s.dueAt().toString());
            assertEquals(CdkStatus.DESTRUCTION_SCHEDULED, plane.registry().find(r.id()).orElseThrow().status());
            assertEquals(wrappings, plane.registry().find(r.id()).orElseThrow().wrappings());

            Cdk back = plane.destruction().cancel(r.id());

            assertEquals(CdkStatus.RETIRED, back.status());
            assertEquals(wrappings, back.wrappings());
            assertEquals("kept value", plane.propertyCipher().decryptString(r.ciphertext(), "Customer.email"));
            clock.advance(Duration.ofDays(31));
            assertTrue(plane.destruction().completeDue().isEmpty(), "a cancelled destruction never completes");
            assertEquals(wrappings, plane.registry().find(r.id()).orElseThrow().wrappings());
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_DESTRUCTION_SCHEDULED).size());
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_DESTRUCTION_CANCELLED).size());
        }
    }

    @Test
    void useDuringTheWaitingPeriod_refusedWithTypedError_auditedAsAlarm_reWrapRefused() {
        try (ControlPlane plane = open()) {
            Retired r = retired(plane);
            assertEquals("kept value", plane.propertyCipher().decryptString(r.ciphertext(), "Customer.email"),
                    "cached before scheduling");
            plane.destruction().schedule(r.id(), WEEK);

            CdkDestructionScheduledException e = assertThrows(CdkDestructionScheduledException.class,
                    () -> plane.propertyCipher().decryptString(r.ciphertext(), "Customer.email"));
            assertThrows(CdkDestructionScheduledException.class,
                    () -> plane.propertyCipher().decryptString(r.ciphertext(), "Customer.email"));

            assertEquals(r.id(), e.cdkId());
            assertTrue(e.getMessage().contains("dataenc destroy-cdk --cancel " + r.id()), e.getMessage());
            assertTrue(!e.getMessage().contains("kept value"));
            List<AuditEvent> alarms = plane.audit().byAction(AuditAction.CDK_USE_REFUSED_ALARM);
            assertEquals(1, alarms.size(), "audited once per minute per CDK, not once per failing read");
            assertEquals(r.id(), alarms.get(0).cdkId());
            Wrapping any = plane.registry().find(r.id()).orElseThrow().wrappings().get(0);
            assertThrows(RegistryConflictException.class, () -> plane.registry().addWrapping(r.id(),
                    new Wrapping("b", "mk-b", "1", any.wrappedKey())), "no re-wrap of a CDK waiting to be destroyed");
            assertThrows(IllegalArgumentException.class, () -> plane.registry().updateStatus(r.id(),
                    CdkStatus.DESTRUCTION_SCHEDULED, CdkStatus.RETIRED), "only cancel() leaves the schedule");
        }
    }

    @Test
    void completeDue_beforeThePeriodNothing_afterItTheWrappingsAreGone() {
        try (ControlPlane plane = open()) {
            Retired r = retired(plane);
            plane.destruction().schedule(r.id(), WEEK);
            clock.advance(WEEK.minusMinutes(1));

            assertTrue(plane.destruction().completeDue().isEmpty());
            assertThrows(RegistryConflictException.class, () -> plane.registry().destroy(r.id()),
                    "the registry itself refuses a destruction that is not due");
            assertEquals(1, plane.registry().find(r.id()).orElseThrow().wrappings().size());

            clock.advance(Duration.ofMinutes(2));
            List<Cdk> destroyed = plane.destruction().completeDue();

            assertEquals(List.of(r.id()), destroyed.stream().map(Cdk::id).toList());
            Cdk gone = plane.registry().find(r.id()).orElseThrow();
            assertEquals(CdkStatus.DESTROYED, gone.status());
            assertTrue(gone.wrappings().isEmpty());
            assertTrue(plane.destruction().scheduled().isEmpty());
            assertThrows(CdkDestroyedException.class,
                    () -> plane.propertyCipher().decryptString(r.ciphertext(), "Customer.email"));
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_DESTROYED).size());
            CdkLifecycleRefusedException late = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.destruction().cancel(r.id()));
            assertTrue(late.getMessage().contains("already destroyed"), late.getMessage());
        }
    }

    @Test
    void waitingPeriodOutOfRange_refused_nothingChanges() {
        try (ControlPlane plane = open()) {
            Retired r = retired(plane);

            assertThrows(CdkLifecycleRefusedException.class, () -> plane.destruction().schedule(r.id(), Duration.ofDays(6)));
            assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.destruction().schedule(r.id(), Duration.ofDays(CdkDestruction.MAX_WAITING_DAYS + 1)));

            assertEquals(CdkStatus.RETIRED, plane.registry().find(r.id()).orElseThrow().status());
        }
    }

    @Test
    void blobUsage_keepsTheCdk_evenWithScanEvidence_untilAnOperatorAttests() throws Exception {
        try (ControlPlane plane = open()) {
            CdkId old = plane.registry().findActive().orElseThrow().id();
            byte[] blob = encryptBlob(plane, "a scanned contract".getBytes(StandardCharsets.UTF_8));
            plane.rotateCdk("test");
            plane.flushUsage();

            RetirementResult kept = plane.retireCdks(PROVEN, false);

            String why = kept.kept().get(old);
            assertTrue(why != null && why.contains("record 1 BLOB(s)"), String.valueOf(why));
            assertTrue(why.contains("dataenc retire-cdks --attest-no-blobs " + old + " --reason"), why);
            assertEquals(CdkStatus.DECRYPT_ONLY, plane.registry().find(old).orElseThrow().status());
            assertEquals("a scanned contract", new String(decryptBlob(plane, blob), StandardCharsets.UTF_8),
                    "the BLOB is not lost");

            CdkLifecycleRefusedException noReason = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.blobAttestations().attestNoBlobs(plane.registry().find(old).orElseThrow(), " ", "op"));
            assertTrue(noReason.getMessage().contains("needs a reason"), noReason.getMessage());
            plane.blobAttestations().attestNoBlobs(plane.registry().find(old).orElseThrow(),
                    "contract store purged on 2026-03-01", "op");
            RetirementResult retired = plane.retireCdks(PROVEN, false);

            assertEquals(List.of(old), retired.retired());
            List<AuditEvent> attested = plane.audit().byAction(AuditAction.CDK_ATTESTED);
            assertEquals(1, attested.size());
            assertTrue(attested.get(0).detail().contains("contract store purged on 2026-03-01"), attested.get(0).detail());
        }
    }

    @Test
    void blobEncryptedAfterTheAttestation_voidsIt_andARetiredCdkWithBlobsCannotBeScheduled() throws Exception {
        try (ControlPlane plane = open()) {
            Retired r = retired(plane);
            plane.blobAttestations().attestNoBlobs(plane.registry().find(r.id()).orElseThrow(), "none were written", "op");
            plane.usage().add(r.id(), dev.dataenc.control.lifecycle.CdkUsageStore.Kind.BLOB, 2); // a lagging node

            CdkLifecycleRefusedException e = assertThrows(CdkLifecycleRefusedException.class,
                    () -> plane.destruction().schedule(r.id(), WEEK));

            assertTrue(e.getMessage().contains("record 2 BLOB(s)") && e.getMessage().contains("covers only 0"),
                    e.getMessage());
            assertEquals(CdkStatus.RETIRED, plane.registry().find(r.id()).orElseThrow().status());
        }
    }

    private static byte[] encryptBlob(ControlPlane plane, byte[] plain) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        plane.blobCipher().encrypt(new ByteArrayInputStream(plain), sink, "Contract.pdf");
        return sink.toByteArray();
    }

    private static byte[] decryptBlob(ControlPlane plane, byte[] ciphertext) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plane.blobCipher().decrypt(new ByteArrayInputStream(ciphertext), plain, "Contract.pdf");
        return plain.toByteArray();
    }
}
