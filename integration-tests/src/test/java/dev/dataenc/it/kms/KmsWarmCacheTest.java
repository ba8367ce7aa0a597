package dev.dataenc.it.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.kms.testing.KmsTestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steady state: with the CDK cache warm, 10^5 property encryptions and decryptions make no KMS call at all. */
class KmsWarmCacheTest {

    private static final int N = 100_000;

    @TempDir
    Path dir;

    @Test
    void warmCache_hundredThousandEncryptionsAndDecryptions_makeZeroKmsCalls() {
        try (KmsTestServer server = KmsTestServer.start()) {
            try (ControlPlane plane = KmsFixture.open(KmsFixture.config(dir, "kms",
                    KmsFixture.kms(server, "kms", server.createKey().keyId())))) {
                Map<String, String> older = KmsFixture.encryptValues(plane, 10, "old");
                plane.rotateCdk("test rotation");
                PropertyCipher cipher = plane.propertyCipher();
                // warm-up: the active CDK and the older one are in the cache
                older.forEach((ct, plain) -> assertEquals(plain, cipher.decryptString(ct, "Customer.email")));
                cipher.encryptString("warm-up", "Customer.email");
                server.resetCounts();

                List<String> ciphertexts = new ArrayList<>(N);
                for (int i = 0; i < N; i++) {
                    ciphertexts.add(cipher.encryptString("value " + i, "Customer.email"));
                }
                for (int i = 0; i < N; i++) {
                    assertEquals("value " + i, cipher.decryptString(ciphertexts.get(i), "Customer.email"));
                }
                older.forEach((ct, plain) -> assertEquals(plain, cipher.decryptString(ct, "Customer.email")));

                System.out.printf("warm cache: %,d encryptions + %,d decryptions: KMS requests %d %s%n", N, N,
                        server.totalCalls(), server.callCounts());
                assertEquals(0, server.totalCalls(), server.callCounts().toString());
            }
        }
    }
}
