package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.kms.testing.KmsTestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code local} → {@code aws-kms} switch over 40 CDKs with {@code rewrap-concurrency=4}, the KMS test server
 * answering 30% of {@code Encrypt} and {@code Decrypt} requests with {@code ThrottlingException} and delaying each
 * by 5 ms: the throttled requests are retried (the SDK's jittered exponential backoff, {@code max-attempts=10}),
 * the switch completes with one wrapping per CDK under the target, and the server never sees more than four
 * requests in flight at once (but more than one: the re-wrap did run concurrently).
 */
class KmsConcurrentRewrapTest {

    private static final int CDKS = 40;
    private static final int CONCURRENCY = 4;

    @TempDir
    Path dir;

    @Test
    void throttledConcurrentSwitch_retriesCompleteAndInFlightStaysWithinLimit() throws Exception {
        try (KmsTestServer server = KmsTestServer.start(77)) {
            KeystoreSettings local = KmsFixture.local(dir, "local");
            KeystoreSettings kms = KmsFixture.kms(server, "kms", server.createKey().keyId(),
                    Map.of("rewrap-concurrency", Integer.toString(CONCURRENCY), "max-attempts", "10"));
            Map<String, String> values = new LinkedHashMap<>();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "local", local, kms))) {
                for (int i = 0; i < CDKS; i++) {
                    if (i > 0) {
                        plane.rotateCdk("test rotation");
                    }
                    values.putAll(KmsFixture.encryptValues(plane, 1, "cdk" + i));
                }
                assertEquals(CDKS, plane.registry().list().size());

                server.latency(Duration.ofMillis(5)).throttle(0.3, "Encrypt", "Decrypt");
                server.resetCounts();
                SwitchOutcome outcome = plane.switchKeystore("kms");
                Map<String, Integer> calls = server.callCounts();
                System.out.printf("30%% throttled, rewrap-concurrency %d: %d CDKs, KMS requests %s, peak in flight %d%n",
                        CONCURRENCY, CDKS, calls, server.peakInFlight());

                assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
                assertEquals(CDKS, outcome.rewrapped());
                for (Cdk cdk : plane.registry().list()) {
                    assertEquals(1, cdk.wrappings().stream().filter(w -> w.keystoreName().equals("kms")).count(),
                            "exactly one wrapping under kms for " + cdk.id());
                }
                // each CDK: one Encrypt and one verifying Decrypt that succeeded; the target guard's probe one of each
                int succeeded = 2 * (CDKS + 1);
                assertTrue(calls.get("Encrypt") + calls.get("Decrypt") > succeeded,
                        "throttled requests were retried: " + calls);
                assertTrue(server.peakInFlight() <= CONCURRENCY, "at most " + CONCURRENCY + " requests in flight, saw "
                        + server.peakInFlight());
                assertTrue(server.peakInFlight() > 1, "the re-wrap ran concurrently");
            }
            server.clearFaults();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms", kms))) {
                for (Map.Entry<String, String> e : values.entrySet()) {
                    assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
                }
            }
        }
    }
}
