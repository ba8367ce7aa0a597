package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.kms.testing.KmsTestServer;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The settings that bound an aws-kms keystore's load on KMS: {@code rewrap-concurrency} (the control plane's re-wrap
 * threads) and {@code max-requests-per-second} (every HTTP attempt, retries after throttling included, passes the
 * pacer).
 */
class AwsKmsRequestLimitTest {

    private KmsFixture f;
    private KmsTestServer.Key key;

    @BeforeEach
    void setUp() {
        f = new KmsFixture();
        key = f.kms.createKey();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void rewrapConcurrency_defaultsTo16AndIsConfigurable() {
        assertEquals(AwsKmsSettings.DEFAULT_REWRAP_CONCURRENCY, f.open("a", key.arn()).rewrapConcurrency());
        assertEquals(3, f.open("b", key.arn(), s -> s.put("rewrap-concurrency", "3")).rewrapConcurrency());
        assertEquals(0, settings(Map.of()).maxRequestsPerSecond(), "no request limit by default");
    }

    @Test
    void limitsOutOfRange_areConfigurationErrorsNamingTheSetting() {
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class,
                () -> settings(Map.of("rewrap-concurrency", "0")));
        assertTrue(e.getMessage().contains("'rewrap-concurrency'"), e.getMessage());
        e = assertThrows(KeystoreConfigurationException.class, () -> settings(Map.of("max-requests-per-second", "-5")));
        assertTrue(e.getMessage().contains("'max-requests-per-second'"), e.getMessage());
    }

    @Test
    void throttledRequests_everyAttemptPassesThePacer() {
        AwsKmsSettings s = settings(Map.of("max-attempts", "10", "max-requests-per-second", "1000"));
        AtomicInteger paced = new AtomicInteger();
        RequestPacer pacer = new RequestPacer(s.maxRequestsPerSecond(), () -> {
            paced.incrementAndGet(); // read once per acquire
            return System.nanoTime();
        }, nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos));
        try (AwsKmsKeystore ks = new AwsKmsKeystore(s, KmsClientFactory.create(s, List.of(pacer)), Clock.systemUTC())) {
            f.kms.throttle(0.4, "GenerateDataKey");
            f.kms.resetCounts();
            for (int i = 0; i < 20; i++) {
                CdkId id = CdkId.random();
                try (GeneratedDataKey g = ks.generateDataKey(id)) {
                    assertEquals(id, g.key().cdkId());
                }
            }
            int requests = f.kms.callCount("GenerateDataKey");
            assertTrue(requests > 20, "some requests were throttled and retried: " + requests);
            assertEquals(requests, paced.get(), "each request the server received, retries included, was paced");
        }
    }

    private AwsKmsSettings settings(Map<String, String> extra) {
        Map<String, String> s = f.kms.keystoreSettings(key.arn());
        s.putAll(extra);
        return AwsKmsSettings.parse(KeystoreSettings.of("kms", AwsKmsKeystore.TYPE, s));
    }
}
