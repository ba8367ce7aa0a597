package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.lifecycle.CheckValueBackfill;
import dev.dataenc.envelope.LegacyCdkPolicy;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.CdkCheckFailedException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Wrapping;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Legacy CDKs (created before key check values) get one recorded, audited, only when their wrappings agree. */
class CheckValueBackfillTest {

    @TempDir
    Path dir;

    @Test
    void legacyCdk_getsItsCheckValueRecordedAndAudited_thenUnwrapsVerified() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a), ControlFixture.options())) {
            Cdk legacy = KeystoreSwitchRepairTest.activateRaw(plane, "a");
            assertNull(plane.registry().find(legacy.id()).orElseThrow().checkValue(), "a CDK as old versions stored it");

            CheckValueBackfill.Result dry = plane.recordCheckValues(true);
            assertEquals(List.of(legacy.id()), dry.recorded());
            assertNull(plane.registry().find(legacy.id()).orElseThrow().checkValue(), "a dry run changes nothing");

            CheckValueBackfill.Result done = plane.recordCheckValues(false);
            assertEquals(List.of(legacy.id()), done.recorded());
            assertTrue(done.failed().isEmpty(), done.failed().toString());
            Cdk stored = plane.registry().find(legacy.id()).orElseThrow();
            assertNotNull(stored.checkValue());
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_CHECK_VALUE_RECORDED).size());
            assertTrue(plane.verify().ok());
            assertTrue(plane.recordCheckValues(false).recorded().isEmpty(), "nothing left to record");
        }
    }

    @Test
    void legacyCdkPolicyFromTheConfiguration_decryptOnlyThenRefuse_appliedByAConfigurationChange() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        DataEncConfig warn = ControlFixture.config(dir, "a", a);
        try (ControlPlane plane = ControlPlane.open(warn, ControlFixture.options())) {
            Cdk legacy = KeystoreSwitchRepairTest.activateRaw(plane, "a");
            String ct = plane.propertyCipher().encryptString("ada@example.com", "Customer.email");
            assertEquals(legacy.id(), PropertyCipher.cdkIdOf(ct), "warn (the default) uses a legacy CDK");

            assertTrue(plane.apply(withLegacy(warn, LegacyCdkPolicy.DECRYPT_ONLY)));
            CdkCheckFailedException refused = assertThrows(CdkCheckFailedException.class,
                    () -> plane.propertyCipher().encryptString("grace@example.com", "Customer.email"));
            assertTrue(refused.getMessage().contains("DECRYPT_ONLY"), refused.getMessage());
            assertEquals("ada@example.com", plane.propertyCipher().decryptString(ct, "Customer.email"));

            assertTrue(plane.apply(withLegacy(warn, LegacyCdkPolicy.REFUSE)));
            assertThrows(CdkCheckFailedException.class,
                    () -> plane.propertyCipher().decryptString(ct, "Customer.email"));

            plane.recordCheckValues(false); // the backfill makes the CDK an ordinary one
            assertEquals("ada@example.com", plane.propertyCipher().decryptString(ct, "Customer.email"));
        }
    }

    private static DataEncConfig withLegacy(DataEncConfig c, LegacyCdkPolicy policy) {
        return new DataEncConfig(c.source(), c.cipherType(), c.activeKeystore(), c.keystores(), c.registry(),
                c.cache().withLegacyCdks(policy), c.rotation(), c.reloadInterval(), c.switchLease(), c.cluster());
    }

    @Test
    void wrappingsDisagree_noValueRecorded_reportedAsNotEstablished() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            Keystore ka = plane.keystores().get("a").orElseThrow();
            Keystore kb = plane.keystores().get("b").orElseThrow();
            CdkId id = CdkId.random();
            // a registry writer adds, beside the genuine wrapping, one of a key it chose (under keystore b)
            Wrapping bogus;
            try (GeneratedDataKey chosen = kb.generateDataKey(id)) {
                bogus = chosen.wrapping();
            }
            try (GeneratedDataKey g = ka.generateDataKey(id)) {
                Cdk cdk = new Cdk(id, CdkStatus.ACTIVE, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        List.of(g.wrapping(), bogus));
                plane.registry().activate(cdk, plane.registry().findActive().map(Cdk::id).orElse(null));
                try (DataKey check = ka.unwrap(id, g.wrapping())) {
                    assertEquals(id, check.cdkId());
                }
            }

            CheckValueBackfill.Result r = plane.recordCheckValues(false);
            assertTrue(r.recorded().isEmpty(), r.recorded().toString());
            assertEquals(1, r.failed().size());
            assertTrue(r.failed().get(0).startsWith(id.toString()), r.failed().get(0));
            assertNull(plane.registry().find(id).orElseThrow().checkValue());
            assertTrue(plane.audit().byAction(AuditAction.CDK_CHECK_VALUE_RECORDED).isEmpty());
        }
    }
}
