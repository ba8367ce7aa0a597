package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.kms.testing.KmsTestServer;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling, dropped connections and slow responses: retried by the SDK's strategy, then a typed error. */
class AwsKmsRetryTest {

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
    void thirtyPercentThrottling_twoHundredCallsAllSucceedThroughRetries() {
        AwsKmsKeystore ks = f.open("kms", key.arn(), s -> s.put("max-attempts", "10"));
        f.kms.throttle(0.3);
        f.kms.resetCounts();
        for (int i = 0; i < 100; i++) {
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
        int generate = f.kms.callCount("GenerateDataKey");
        int decrypt = f.kms.callCount("Decrypt");
        System.out.printf("30%% throttling: 200 operations made %d GenerateDataKey + %d Decrypt requests%n", generate, decrypt);
        assertTrue(generate > 100 && decrypt > 100, "some requests were throttled and retried: " + f.kms.callCounts());
    }

    @Test
    void alwaysThrottledWithoutRetries_failsTypedAsThrottled() {
        AwsKmsKeystore ks = f.open("kms", key.arn(), s -> s.put("max-attempts", "1"));
        f.kms.throttle(1.0);
        f.kms.resetCounts();
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.UNREACHABLE, e.state());
        assertTrue(e.getMessage().contains("throttled"), e.getMessage());
        assertEquals(1, f.kms.callCount("GenerateDataKey"));
    }

    @Test
    void alwaysThrottled_stopsAfterMaxAttempts() {
        AwsKmsKeystore ks = f.open("kms", key.arn(), s -> s.put("max-attempts", "4"));
        f.kms.throttle(1.0, "GenerateDataKey");
        f.kms.resetCounts();
        assertThrows(KeystoreUnavailableException.class, () -> ks.generateDataKey(CdkId.random()));
        assertEquals(4, f.kms.callCount("GenerateDataKey"));
    }

    @Test
    void droppedConnections_areRetried() {
        AwsKmsKeystore ks = f.open("kms", key.arn(), s -> s.put("max-attempts", "10"));
        f.kms.dropConnections(0.3);
        for (int i = 0; i < 20; i++) {
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }

    @Test
    void responseSlowerThanAttemptTimeout_failsUnreachable() {
        AwsKmsKeystore ks = f.open("kms", key.arn(), s -> {
            s.put("api-call-attempt-timeout", "200ms");
            s.put("max-attempts", "2");
        });
        f.kms.latency(Duration.ofMillis(1000));
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.UNREACHABLE, e.state());
        assertTrue(e.getMessage().contains(MasterKeyState.UNREACHABLE.remedy()), e.getMessage());
    }
}
