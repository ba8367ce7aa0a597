package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.kms.testing.KmsTestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With 30% of all KMS requests answered {@code ThrottlingException} (and {@code max-attempts=10}, the SDK's
 * jittered backoff), a burst of property encryption and decryption on cold caches from several threads, a
 * full {@code aws-kms} → {@code aws-kms} switch, and decrypting everything again on a cold cache with only
 * the new keystore all finish correctly.
 */
class KmsThrottlingTest {

    private static final int CDKS = 11;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    @Test
    void thirtyPercentThrottled_burstAndFullSwitch_finishCorrectly() throws Exception {
        try (KmsTestServer server = KmsTestServer.start(2024)) {
            Map<String, String> retries = Map.of("max-attempts", "10");
            KmsTestServer.Key keyA = server.createKey();
            KeystoreSettings kmsA = KmsFixture.kms(server, "kms-a", keyA.keyId(), retries);
            // kms-b lists key A, so it may ReEncrypt from it (and unwrap it)
            KeystoreSettings kmsB = KmsFixture.kms(server, "kms-b", server.createKey().keyId(),
                    Map.of("max-attempts", "10", "former-key-arns", keyA.arn()));
            Map<String, String> values = new ConcurrentHashMap<>();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-a", kmsA, kmsB))) {
                for (int i = 0; i < CDKS; i++) {
                    values.putAll(KmsFixture.encryptValues(plane, 50, "cdk" + i));
                    if (i < CDKS - 1) {
                        plane.rotateCdk("test rotation");
                    }
                }
                assertEquals(CDKS, plane.registry().list().size());
            }

            server.throttle(0.3);
            server.resetCounts();
            int coldBurstDecrypts;
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-a", kmsA, kmsB))) {
                burst(plane, values);
                coldBurstDecrypts = server.callCount("Decrypt");
                System.out.printf("30%% throttled: cold burst over %d CDKs, %d threads: KMS requests %s%n", CDKS, THREADS,
                        server.callCounts());

                server.resetCounts();
                SwitchOutcome outcome = plane.switchKeystore("kms-b");
                System.out.printf("30%% throttled: switch kms-a -> kms-b, %d CDKs: KMS requests %s%n", CDKS,
                        server.callCounts());
                assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
                assertEquals(CDKS + 1, plane.registry().list().size());
                assertTrue(plane.registry().list().stream().allMatch(c -> c.wrappingBy("kms-b").isPresent()));
                assertTrue(server.callCount("ReEncrypt") >= CDKS, server.callCounts().toString());
                values.putAll(KmsFixture.encryptValues(plane, 20, "after"));
            }

            server.resetCounts();
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms-b", kmsB))) {
                for (Map.Entry<String, String> e : values.entrySet()) {
                    assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
                }
                System.out.printf("30%% throttled: cold decrypt of %d values with only kms-b: KMS requests %s%n",
                        values.size(), server.callCounts());
                int successfulUnwraps = CDKS + CDKS + 1; // each CDK once per cold cache
                assertTrue(coldBurstDecrypts + server.callCount("Decrypt") > successfulUnwraps,
                        "throttling happened and was retried (requests counted include throttled ones)");
            }
        }
    }

    /** Every thread decrypts all values (cold cache: the first use of each CDK unwraps it) and encrypts new ones. */
    private static void burst(ControlPlane plane, Map<String, String> values) throws Exception {
        List<Map.Entry<String, String>> all = new ArrayList<>(values.entrySet());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Map<String, String>>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < all.size(); i++) {
                        Map.Entry<String, String> e = all.get((i + thread * 97) % all.size());
                        assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
                    }
                    return KmsFixture.encryptValues(plane, 100, "burst" + thread);
                }));
            }
            for (Future<Map<String, String>> f : done) {
                values.putAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
