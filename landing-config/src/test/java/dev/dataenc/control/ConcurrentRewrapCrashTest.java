package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.keyswitch.SwitchJob;
import dev.dataenc.control.keyswitch.SwitchPhase;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.kms.testing.KmsTestServer;
import dev.dataenc.testing.CrashingChild;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keystore switch to {@code aws-kms} re-wraps concurrently ({@code rewrap-concurrency=4}). A child JVM is
 * killed (SIGKILL) while four re-wrap workers hold CDKs whose KMS calls returned but whose wrappings are not stored
 * yet, after five others were stored. The registry then holds exactly those five wrappings (and the job counts
 * five), and the resumed switch gives every CDK exactly one wrapping under the target; everything decrypts with
 * the KMS keystore alone.
 */
class ConcurrentRewrapCrashTest {

    private static final int CDKS_BEFORE = 12;
    private static final int STORED_BEFORE_KILL = 5;
    private static final int CONCURRENCY = 4;

    @TempDir
    Path dir;

    /** The aws-kms keystore {@code kms} of the test server at {@code endpoint}. */
    static KeystoreSettings kms(String endpoint, String keyId, int concurrency) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("key-id", keyId);
        s.put("region", KmsTestServer.REGION);
        s.put("endpoint", endpoint);
        s.put("access-key-id", "AKIDTESTSERVER");
        s.put("secret-access-key", "test-secret");
        s.put("rewrap-concurrency", Integer.toString(concurrency));
        return KeystoreSettings.of("kms", "aws-kms", s);
    }

    @Test
    void killedWhileConcurrentWorkersHoldUnstoredWrappings_resumeLeavesExactlyOneWrappingPerCdk() throws Exception {
        try (KmsTestServer server = KmsTestServer.start()) {
            KmsTestServer.Key key = server.createKey();
            KeystoreSettings a = ControlFixture.local(dir, "a");
            KeystoreSettings kms = kms(server.endpoint().toString(), key.keyId(), CONCURRENCY);
            Map<String, String> values = new LinkedHashMap<>();
            try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, kms), ControlFixture.options())) {
                for (int cdk = 0; cdk < CDKS_BEFORE; cdk++) {
                    if (cdk > 0) {
                        plane.rotateCdk("test");
                    }
                    String v = "cdk" + cdk;
                    values.put(plane.propertyCipher().encryptString(v, "Customer.email"), v);
                }
            }

            CrashingChild.runAndKill(ConcurrentSwitchCrashChild.class, "concurrent re-wrap", dir.toString(),
                    server.endpoint().toString(), key.keyId(), Integer.toString(STORED_BEFORE_KILL),
                    Integer.toString(CONCURRENCY));

            // before resuming (an admin open does not resume): only the wrappings stored before the kill are there
            try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, kms),
                    ControlPlane.Options.admin("test"))) {
                SwitchJob job = plane.jobs().running().orElseThrow();
                assertEquals(SwitchPhase.CDK_ACTIVATED, job.phase());
                List<Cdk> old = plane.registry().list().stream().filter(c -> !c.id().equals(job.newCdkId())).toList();
                assertEquals(CDKS_BEFORE, old.size());
                assertEquals(STORED_BEFORE_KILL, old.stream().filter(c -> c.wrappingBy("kms").isPresent()).count(),
                        "the wrappings held by the killed workers were never stored");
                long wrappedUnderKms = plane.registry().list().stream().filter(c -> c.wrappingBy("kms").isPresent()).count();
                assertEquals(STORED_BEFORE_KILL + 1, wrappedUnderKms, "the new ACTIVE CDK was made under kms");
                assertEquals(wrappedUnderKms, job.cdksRewrapped(), "the job's count matches the registry");
                assertEquals(CDKS_BEFORE + 1, job.cdksTotal());
                assertTrue(server.callCount("Encrypt") >= STORED_BEFORE_KILL + CONCURRENCY, server.callCounts().toString());
            }

            try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "kms", a, kms), ControlFixture.options())) {
                assertEquals("kms", plane.jobs().state().orElseThrow().activeKeystore());
                List<SwitchJob> history = plane.jobs().history(10);
                assertEquals(1, history.size(), "the killed job was resumed, not started again");
                assertEquals(SwitchPhase.COMPLETED, history.get(0).phase());
                assertEquals(1, plane.audit().byAction(AuditAction.SWITCH_RESUMED).size());
                List<Cdk> cdks = plane.registry().list();
                assertEquals(CDKS_BEFORE + 1, cdks.size());
                for (Cdk cdk : cdks) {
                    assertEquals(1, cdk.wrappings().stream().filter(w -> w.keystoreName().equals("kms")).count(),
                            "exactly one wrapping under kms for " + cdk.id());
                }
                assertEquals(CDKS_BEFORE, plane.audit().byAction(AuditAction.CDK_REWRAPPED).size(),
                        "one re-wrap recorded per old CDK, none twice");
            }
            try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "kms", kms), ControlFixture.options())) {
                for (Map.Entry<String, String> e : values.entrySet()) {
                    assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
                }
            }
        }
    }
}
