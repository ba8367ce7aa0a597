package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key outage costs O(CDKs) KMS calls, not O(records): a failed unwrap is remembered per wrapping for
 * {@code failure-cache-ttl}, doubling while it keeps failing, and rethrown as the same typed error. Time is a
 * test clock, so nothing sleeps.
 */
class AwsKmsFailureCacheTest {

    private KmsTestServer kms;
    private KmsTestServer.Key key;
    private final MutableClock clock = new MutableClock();
    private AwsKmsKeystore ks;

    @BeforeEach
    void setUp() {
        kms = KmsTestServer.start();
        key = kms.createKey();
        Map<String, String> s = kms.keystoreSettings(key.arn());
        s.put("failure-cache-ttl", "10s");
        AwsKmsSettings settings = AwsKmsSettings.parse(KeystoreSettings.of("kms", "aws-kms", s));
        ks = new AwsKmsKeystore(settings, KmsClientFactory.create(settings), clock);
    }

    @AfterEach
    void tearDown() {
        ks.close();
        kms.close();
    }

    @Test
    void disabledKey_manyReadsOfFewCdks_costKmsCallsPerCdkNotPerRead() {
        List<CdkId> ids = new ArrayList<>();
        List<Wrapping> wrappings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id)) {
                ids.add(id);
                wrappings.add(g.wrapping());
            }
        }
        kms.disableKey(key.keyId());
        kms.resetCounts();
        for (int read = 0; read < 300; read++) {
            int i = read % 3;
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                    () -> ks.unwrap(ids.get(i), wrappings.get(i)));
            assertEquals(MasterKeyState.DISABLED, e.state(), e.getMessage());
            assertTrue(e.getMessage().contains(MasterKeyState.DISABLED.remedy()), e.getMessage());
        }
        assertEquals(3, kms.callCount("Decrypt"), "one Decrypt per CDK for 300 reads: " + kms.callCounts());
        assertEquals(3, kms.callCount("DescribeKey"), "one DescribeKey per CDK to name the state: " + kms.callCounts());

        clock.advance(Duration.ofSeconds(11)); // expired: one more attempt per CDK, then remembered for 20 s
        for (int read = 0; read < 30; read++) {
            int i = read % 3;
            assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(ids.get(i), wrappings.get(i)));
        }
        assertEquals(6, kms.callCount("Decrypt"), kms.callCounts().toString());
        clock.advance(Duration.ofSeconds(15)); // within the doubled period: no call
        assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(ids.get(0), wrappings.get(0)));
        assertEquals(6, kms.callCount("Decrypt"), "backed off: " + kms.callCounts());

        kms.enableKey(key.keyId());
        assertEquals(MasterKeyState.ENABLED, ks.describe().state(), "a usable key forgets the failures");
        try (DataKey back = ks.unwrap(ids.get(0), wrappings.get(0))) {
            assertEquals(ids.get(0), back.cdkId());
        }
        assertEquals(0, ks.rememberedFailures());
    }

    @Test
    void wrappedKeyError_isRememberedPerWrapping_otherWrappingsStillCallKms() {
        CdkId id = CdkId.random();
        Wrapping good;
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            good = g.wrapping();
        }
        byte[] bad = good.wrappedKey().clone();
        bad[bad.length - 1] ^= 1;
        Wrapping tampered = new Wrapping(good.keystoreName(), good.masterKeyId(), "", bad);
        kms.resetCounts();
        for (int i = 0; i < 20; i++) {
            assertThrows(WrappedKeyException.class, () -> ks.unwrap(id, tampered));
        }
        assertEquals(1, kms.callCount("Decrypt"), kms.callCounts().toString());
        try (DataKey back = ks.unwrap(id, good)) {
            assertEquals(id, back.cdkId(), "the good wrapping of the same CDK is not blocked");
        }
        assertEquals(2, kms.callCount("Decrypt"));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
