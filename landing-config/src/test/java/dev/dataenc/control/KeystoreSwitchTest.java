package dev.dataenc.control;

import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchPlan;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.control.lifecycle.VerifyReport;
import dev.dataenc.control.lifecycle.WrappingRemoval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.ClusterSettings;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.testing.FakeKeystore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keystore switch through the control plane, on real local keystores and a real H2 registry. */
class KeystoreSwitchTest {

    @TempDir
    Path dir;

    @Test
    void switchToAnotherLocalKeystore_rewrapsEveryCdk_andEverythingStillDecrypts() throws Exception {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        Map<String, String> values = new LinkedHashMap<>();
        byte[] blob = new byte[300_000];
        new Random(7).nextBytes(blob);
        byte[] blobCiphertext;
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            for (int i = 0; i < 3; i++) {
                values.put(plane.propertyCipher().encryptString("value " + i, "Customer.email"), "value " + i);
                plane.rotateCdk("test");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            plane.blobCipher().encrypt(new ByteArrayInputStream(blob), out, "Doc.body");
            blobCiphertext = out.toByteArray();
            Cdk before = plane.registry().findActive().orElseThrow();

            SwitchOutcome outcome = plane.switchKeystore("b");

            assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
            assertEquals(4, outcome.rewrapped(), "the 4 CDKs that existed before; the new one was born under b");
            List<Cdk> cdks = plane.registry().list();
            assertEquals(5, cdks.size());
            assertEquals(1, cdks.stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
            Cdk active = plane.registry().findActive().orElseThrow();
            assertFalse(active.id().equals(before.id()));
            assertEquals(List.of("b"), active.wrappings().stream().map(w -> w.keystoreName()).toList());
            for (Cdk cdk : cdks) {
                assertTrue(cdk.wrappingBy("b").isPresent(), "every CDK has a wrapping under b: " + cdk.id());
                if (!cdk.id().equals(active.id())) {
                    assertTrue(cdk.wrappingBy("a").isPresent(), "old wrappings are kept beside the new ones");
                }
            }
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            assertEquals("b", plane.config().activeKeystore());
            assertEquals(1, plane.audit().byAction(AuditAction.SWITCH_COMPLETED).size());
            assertEquals(4, plane.audit().byAction(AuditAction.CDK_REWRAPPED).size());
            String fresh = plane.propertyCipher().encryptString("after", "Customer.email");
            assertEquals(active.id(), dev.dataenc.envelope.PropertyCipher.cdkIdOf(fresh));
            values.put(fresh, "after");
        }
        // keystore a is gone from the configuration: everything must decrypt with b alone
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "b", b), ControlFixture.options())) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
            }
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            plane.blobCipher().decrypt(new ByteArrayInputStream(blobCiphertext), plain, "Doc.body");
            assertArrayEquals(blob, plain.toByteArray());
            assertTrue(plane.verify().ok());
        }
    }

    @Test
    void switchKeystoreCalls_dependOnCdkCount_notOnData() {
        KeystoreSettings x = KeystoreSettings.of("x", "fake", Map.of());
        KeystoreSettings y = KeystoreSettings.of("y", "fake", Map.of());
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "x", x, y), ControlFixture.options())) {
            for (int cdk = 0; cdk < 3; cdk++) {
                for (int i = 0; i < 2_000; i++) {
                    plane.propertyCipher().encryptString("v" + i, "ctx");
                }
                plane.rotateCdk("test");
            }
            FakeKeystore fx = (FakeKeystore) plane.keystores().get("x").orElseThrow();
            FakeKeystore fy = (FakeKeystore) plane.keystores().get("y").orElseThrow();
            int xBefore = fx.calls();
            int xUnwrapsBefore = fx.unwrapCalls.get();
            int yBefore = fy.calls();

            plane.switchKeystore("y");

            int cdks = 4;
            // y: guard round trip (wrap + unwrap), 1 generate, then per CDK one wrap and one verifying unwrap (+ describes)
            int yCalls = fy.calls() - yBefore;
            int xCalls = fx.calls() - xBefore;
            assertTrue(yCalls <= 2 + 1 + 2 * cdks + 4, "keystore y made " + yCalls + " calls for " + cdks + " CDKs");
            assertTrue(xCalls <= cdks + 2, "keystore x made " + xCalls + " calls for " + cdks + " CDKs");
            assertEquals(cdks, fx.unwrapCalls.get() - xUnwrapsBefore, "each old CDK was unwrapped once");
        }
    }

    @Test
    void targetWithDisabledMasterKey_isRefused_andNothingChanges() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            plane.propertyCipher().encryptString("v", "ctx");
            ((MasterKeyAdmin) plane.keystores().get("b").orElseThrow()).disableMasterKey();
            plane.keystores().refreshDescriptions();
            Snapshot before = Snapshot.of(plane);

            SwitchRefusedException e = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("b"));

            assertTrue(e.getMessage().contains("DISABLED"), e.getMessage());
            assertTrue(e.getMessage().contains("target keystore"), e.getMessage());
            assertEquals(before, Snapshot.of(plane));
            assertEquals(1, plane.audit().byAction(AuditAction.SWITCH_REFUSED).size());
        }
    }

    @Test
    void targetThatCannotBeOpened_isRefusedWithTheReason() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, ControlFixture.local(dir, "b")),
                ControlFixture.options())) {
            plane.propertyCipher().encryptString("v", "ctx");
        }
        KeystoreSettings wrongPassword = ControlFixture.local(dir, "b", "not-the-password");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, wrongPassword), ControlFixture.options())) {
            Snapshot before = Snapshot.of(plane);
            SwitchRefusedException e = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("b"));
            assertTrue(e.getMessage().contains("cannot be opened"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains("password"), e.getMessage());
            assertEquals(before, Snapshot.of(plane));
            SwitchRefusedException unknown = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("nope"));
            assertTrue(unknown.getMessage().contains("not configured"), unknown.getMessage());
        }
    }

    @Test
    void oldKeystoreMasterKeyDisabled_strandsCdks_switchRefusedWithCdkListAndCounts() throws Exception {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            Cdk cdk = plane.registry().findActive().orElseThrow();
            for (int i = 0; i < 3; i++) {
                plane.propertyCipher().encryptString("v" + i, "ctx");
            }
            plane.blobCipher().encrypt(new ByteArrayInputStream(new byte[10]), new ByteArrayOutputStream(), "doc");
            plane.flushUsage();
            ((MasterKeyAdmin) plane.keystores().get("a").orElseThrow()).disableMasterKey();
            plane.keystores().refreshDescriptions();
            Snapshot before = Snapshot.of(plane);

            SwitchRefusedException e = assertThrows(SwitchRefusedException.class, () -> plane.switchKeystore("b"));

            assertTrue(e.getMessage().contains("stranded"), e.getMessage());
            assertTrue(e.getMessage().contains(cdk.id().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("3 property values and 1 BLOB"), e.getMessage());
            assertEquals(before, Snapshot.of(plane));
            SwitchPlan plan = plane.planSwitch("b");
            assertFalse(plan.allowed());
            assertEquals(List.of(cdk.id()), plan.toRewrap());
        }
    }

    @Test
    void dryRunPlan_listsChecksAndWork_andChangesNothing() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            plane.rotateCdk("test");
            Snapshot before = Snapshot.of(plane);
            SwitchPlan plan = plane.planSwitch("b");
            assertTrue(plan.allowed(), String.join("\n", plan.lines()));
            assertEquals(2, plan.toRewrap().size());
            assertEquals(5, plan.checks().size(), "target, stranded CDKs, cipher type, refused cipher, open transition");
            assertTrue(String.join("\n", plan.lines()).contains("re-wrap 2 CDKs"));
            assertEquals(before, Snapshot.of(plane));
            assertTrue(plane.jobs().history(10).isEmpty());
        }
    }

    @Test
    void removingAKeystoreThatHoldsTheOnlyWrapping_isRefusedOnReload_andOldConfigStays() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        KeystoreSettings c = ControlFixture.local(dir, "c");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b, c), ControlFixture.options())) {
            String v = plane.propertyCipher().encryptString("kept", "ctx");
            DataEncConfig withoutA = ControlFixture.config(dir, "b", b, c);
            Snapshot before = Snapshot.of(plane);

            assertFalse(plane.apply(withoutA));

            assertEquals(before, Snapshot.of(plane));
            assertEquals("a", plane.config().activeKeystore());
            assertTrue(plane.status().lastRefusal().orElseThrow().contains("'a' removed"), plane.status().lastRefusal().get());
            assertEquals(1, plane.audit().byAction(AuditAction.CONFIG_REFUSED).size());
            assertEquals("kept", plane.propertyCipher().decryptString(v, "ctx"));

            // the safe order: switch first (keeping a), then remove a; a file edit switches only where enabled
            assertTrue(plane.apply(ControlFixture.config(dir, "b", a, b, c)
                    .withCluster(ClusterSettings.defaults().withSwitchOnFileChange(true))));
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            assertTrue(plane.apply(withoutA));
            assertEquals("kept", plane.propertyCipher().decryptString(v, "ctx"));
        }
    }

    @Test
    void removeWrappings_dropsOnlyThoseWithAnotherWorkingWrapping() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            String v = plane.propertyCipher().encryptString("x", "ctx");
            WrappingRemoval.Result none = plane.removeWrappings("a", false);
            assertTrue(none.removed().isEmpty());
            assertEquals(1, none.kept().size(), "a holds the only wrapping, so it stays");
            plane.switchKeystore("b");
            WrappingRemoval.Result dry = plane.removeWrappings("a", true);
            assertEquals(1, dry.removed().size());
            assertTrue(plane.registry().list().get(0).wrappingBy("a").isPresent(), "a dry run changes nothing");
            WrappingRemoval.Result done = plane.removeWrappings("a", false);
            assertEquals(1, done.removed().size());
            assertTrue(plane.registry().list().stream().allMatch(cdk -> cdk.wrappingBy("a").isEmpty()));
            assertEquals("x", plane.propertyCipher().decryptString(v, "ctx"));
        }
    }

    @Test
    void verify_listsCdksNoKeystoreCanUnwrap() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            Cdk first = plane.registry().findActive().orElseThrow();
            assertTrue(plane.verify().ok());
            assertEquals(1, plane.verify().singleCopy().size());
            ((MasterKeyAdmin) plane.keystores().get("a").orElseThrow()).disableMasterKey();
            VerifyReport report = plane.verify();
            assertFalse(report.ok());
            assertEquals(List.of(first.id()), report.unreadableIds());
            assertTrue(String.join("\n", report.lines()).contains("AT RISK"));
        }
    }

    /** What must not change when a guard refuses. */
    record Snapshot(List<String> cdks, String activeKeystore, int jobs) {
        static Snapshot of(ControlPlane plane) {
            List<String> cdks = new ArrayList<>();
            for (Cdk c : plane.registry().list()) {
                cdks.add(c.id() + " " + c.status() + " " + c.wrappings().stream()
                        .map(w -> w.keystoreName() + "/" + w.masterKeyId() + "/" + w.masterKeyVersion() + "/"
                                + new String(java.util.Base64.getEncoder().encode(w.wrappedKey()), StandardCharsets.US_ASCII))
                        .toList());
            }
            return new Snapshot(cdks, plane.jobs().state().orElseThrow().activeKeystore(), plane.jobs().history(100).size());
        }
    }
}
