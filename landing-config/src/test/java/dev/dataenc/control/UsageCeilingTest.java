package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.lifecycle.CdkUsageStore;
import dev.dataenc.control.lifecycle.UsageCeiling;
import dev.dataenc.error.CdkUsageLimitException;
import dev.dataenc.keystore.MasterKeyAdmin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hard ceiling of 2^32 encryptions per CDK: when rotation keeps failing, encryption past the ceiling is refused
 * (property values and BLOBs counted together, registry counts plus unflushed ones), decryption goes on, and the
 * failing rotation raises an audited alarm.
 */
class UsageCeilingTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    @Test
    void rotationKeepsFailingAtTheCeiling_encryptionRefused_decryptionWorks_alarmAudited() throws Exception {
        ControlPlane.Options options = ControlFixture.options().withClock(clock).withUsageFlush(Duration.ofHours(1));
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", ControlFixture.local(dir, "a")), options)) {
            CdkId active = plane.registry().findActive().orElseThrow().id();
            String before = plane.propertyCipher().encryptString("ada@example.com", "Customer.email");
            plane.flushUsage();
            // Other nodes recorded all but 3 of the allowed encryptions; the active master key then fails, so the
            // rotation the policy asks for cannot happen.
            plane.usage().add(active, CdkUsageStore.Kind.PROPERTY, UsageCeiling.HARD_CEILING - 4);
            ((MasterKeyAdmin) plane.keystores().get("a").orElseThrow()).disableMasterKey();

            plane.periodic(); // reads the recorded usage; rotation fails (1)
            plane.propertyCipher().encryptString("one", "Customer.email");
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            plane.blobCipher().encrypt(new ByteArrayInputStream(new byte[100]), blob, "Invoice.pdf");
            plane.propertyCipher().encryptString("three", "Customer.email"); // the last one allowed (unflushed)

            CdkUsageLimitException refused = assertThrows(CdkUsageLimitException.class,
                    () -> plane.propertyCipher().encryptString("four", "Customer.email"));
            assertEquals(active, refused.cdkId());
            assertTrue(refused.getMessage().contains("rotate-cdk"), refused.getMessage());
            assertTrue(!refused.getMessage().contains("four"), "no plaintext in the message");
            assertThrows(CdkUsageLimitException.class, () -> plane.blobCipher()
                    .encrypt(new ByteArrayInputStream(new byte[10]), new ByteArrayOutputStream(), "Invoice.pdf"));
            plane.periodic(); // flushes the 3, rotation fails (2): still refused
            assertThrows(CdkUsageLimitException.class,
                    () -> plane.propertyCipher().encryptString("five", "Customer.email"));

            assertEquals("ada@example.com", plane.propertyCipher().decryptString(before, "Customer.email"));
            assertEquals(UsageCeiling.HARD_CEILING, plane.usage().total(active));

            assertTrue(plane.audit().byAction(AuditAction.ROTATION_FAILING).isEmpty(), "no alarm before the 3rd failure");
            plane.periodic(); // rotation fails (3): alarm
            plane.periodic(); // within the hour: not repeated
            List<AuditEvent> alarms = plane.audit().byAction(AuditAction.ROTATION_FAILING);
            assertEquals(1, alarms.size());
            assertTrue(alarms.get(0).detail().contains("rotate-cdk"), alarms.get(0).detail());
            clock.advance(Duration.ofMinutes(61));
            plane.periodic();
            assertEquals(2, plane.audit().byAction(AuditAction.ROTATION_FAILING).size(), "repeated after an hour");
        }
    }

    @Test
    void otherNodesRecordedUsage_countsAgainstTheCeilingAfterTheNextRefresh() {
        ControlPlane.Options options = ControlFixture.options().withClock(clock).withUsageFlush(Duration.ofHours(1));
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", ControlFixture.local(dir, "a")), options)) {
            CdkId active = plane.registry().findActive().orElseThrow().id();
            plane.propertyCipher().encryptString("x", "Customer.email");
            ((MasterKeyAdmin) plane.keystores().get("a").orElseThrow()).disableMasterKey();
            plane.usage().add(active, CdkUsageStore.Kind.BLOB, UsageCeiling.HARD_CEILING);
            plane.propertyCipher().encryptString("still allowed: the recorded usage was not read yet", "c");
            plane.periodic();
            assertThrows(CdkUsageLimitException.class, () -> plane.propertyCipher().encryptString("y", "Customer.email"));
        }
    }
}
