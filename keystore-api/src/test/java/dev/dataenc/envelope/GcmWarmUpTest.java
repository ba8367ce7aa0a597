package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.testing.FixedDataKeySource;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/**
 * {@link GcmWarmUp}: the first BLOB stream starts it once, on a daemon thread, and it runs its real AES-GCM round trips
 * to the end without failing; later BLOBs do not start another.
 */
class GcmWarmUpTest {

    @Test
    void firstBlobStartsOneDaemonWarmUp_whichCompletesEveryRoundTrip() throws Exception {
        BlobCipher blobs = new BlobCipher(FixedDataKeySource.withRandomKey());
        byte[] plain = BlobTestSupport.randomBytes(70_000, 1);
        assertArrayEquals(plain, BlobTestSupport.decrypt(blobs, BlobTestSupport.encrypt(blobs, plain, CONTEXT), CONTEXT));
        Thread t = GcmWarmUp.threadForTest();
        assertNotNull(t, "started by the first BLOB stream");
        assertTrue(t.isDaemon(), "never keeps the JVM alive");
        assertEquals("dataenc-gcm-warm-up", t.getName());
        BlobTestSupport.encrypt(blobs, plain, CONTEXT);
        assertTrue(t == GcmWarmUp.threadForTest(), "once per JVM");
        t.join(120_000);
        assertFalse(t.isAlive());
        assertNull(GcmWarmUp.failureForTest());
        assertEquals(GcmWarmUp.OPERATIONS, GcmWarmUp.verifiedForTest(), "every round trip gave its plaintext back");
    }

    @Test
    void startOnce_isIdempotent() throws IOException {
        GcmWarmUp.startOnce();
        Thread first = GcmWarmUp.threadForTest();
        GcmWarmUp.startOnce();
        assertTrue(first == GcmWarmUp.threadForTest());
    }
}
