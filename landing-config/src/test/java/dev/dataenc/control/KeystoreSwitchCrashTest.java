package dev.dataenc.control;

import dev.dataenc.control.keyswitch.SwitchJob;
import dev.dataenc.control.keyswitch.SwitchPhase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.testing.CrashingChild;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills (SIGKILL) a child JVM running the keystore switch at each step boundary, then restarts
 * the control plane with the target configured: the switch resumes and finishes, every CDK
 * unwraps under the target alone, every value encrypted before decrypts, one CDK is ACTIVE.
 */
class KeystoreSwitchCrashTest {

    private static final int CDKS_BEFORE = 4;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"job-started", "cdk-generated", "cdk-activated", "cdk-rewrapped:1", "cdk-rewrapped:3",
            "rewrapped", "completed"})
    void killedAtStepBoundary_restartResumesAndLosesNothing(String crashPoint) throws Exception {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        Map<String, String> values = new LinkedHashMap<>();
        byte[] blob = new byte[200_000];
        new Random(crashPoint.hashCode()).nextBytes(blob);
        ByteArrayOutputStream blobCiphertext = new ByteArrayOutputStream();
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            for (int cdk = 0; cdk < CDKS_BEFORE; cdk++) {
                if (cdk > 0) {
                    plane.rotateCdk("test");
                }
                for (int i = 0; i < 5; i++) {
                    String v = "cdk" + cdk + "-value" + i;
                    values.put(plane.propertyCipher().encryptString(v, "Customer.email"), v);
                }
            }
            plane.blobCipher().encrypt(new ByteArrayInputStream(blob), blobCiphertext, "Doc.body");
        }

        CrashingChild.runAndKill(SwitchCrashChild.class, crashPoint, dir.toString(), crashPoint);

        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "b", a, b), ControlFixture.options())) {
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            assertTrue(plane.jobs().running().isEmpty(), "no unfinished switch is left");
            List<SwitchJob> history = plane.jobs().history(10);
            assertEquals(1, history.size(), "the crashed job was resumed, not started again");
            SwitchJob job = history.get(0);
            assertEquals(SwitchPhase.COMPLETED, job.phase());
            List<Cdk> cdks = plane.registry().list();
            assertEquals(CDKS_BEFORE + 1, cdks.size(), "exactly one new CDK, even if generation ran twice");
            List<Cdk> active = cdks.stream().filter(c -> c.status() == CdkStatus.ACTIVE).toList();
            assertEquals(1, active.size());
            assertEquals(job.newCdkId(), active.get(0).id());
            for (Cdk cdk : cdks) {
                assertEquals(1, cdk.wrappings().stream().filter(w -> w.keystoreName().equals("b")).count(),
                        "exactly one wrapping under b for " + cdk.id());
            }
            if (!crashPoint.equals("completed")) {
                assertEquals(1, plane.audit().byAction(AuditAction.SWITCH_RESUMED).size());
            }
            String fresh = plane.propertyCipher().encryptString("after restart", "Customer.email");
            assertEquals(job.newCdkId(), PropertyCipher.cdkIdOf(fresh));
            values.put(fresh, "after restart");
        }
        // b alone must read everything: the re-wrap is complete and verified
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "b", b), ControlFixture.options())) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
            }
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            plane.blobCipher().decrypt(new ByteArrayInputStream(blobCiphertext.toByteArray()), plain, "Doc.body");
            assertArrayEquals(blob, plain.toByteArray());
            assertTrue(plane.verify().ok());
        }
    }
}
