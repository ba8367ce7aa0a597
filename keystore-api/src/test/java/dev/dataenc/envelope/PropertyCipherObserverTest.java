package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.DecryptionFailedException;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PropertyCipherObserverTest {

    /** Counts what it is told, per operation and outcome. */
    private static final class Recording implements OperationObserver {
        final AtomicLong encrypts = new AtomicLong();
        final AtomicLong decrypts = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong timed = new AtomicLong();
        final AtomicLong negative = new AtomicLong();

        @Override
        public void cipherOperation(String cipher, String operation, long nanos, Throwable failure) {
            assertEquals("property", cipher);
            if (failure != null) {
                failures.incrementAndGet();
            } else if (operation.equals("encrypt")) {
                encrypts.incrementAndGet();
            } else {
                decrypts.incrementAndGet();
            }
            if (nanos != NOT_TIMED) {
                timed.incrementAndGet();
                if (nanos < 0) {
                    negative.incrementAndGet();
                }
            }
        }

        @Override
        public void keystoreCall(String keystore, String operation, long nanos, Throwable failure) {
        }
    }

    @Test
    void everyOperationIsReported_aboutOneInTimingSampleWithADuration() {
        try (PropertyFixture f = new PropertyFixture()) {
            Recording seen = new Recording();
            PropertyCipher cipher = new PropertyCipher(f.cache, seen);
            int n = 16_000;
            byte[] ct = null;
            for (int i = 0; i < n; i++) {
                ct = cipher.encrypt(new byte[] {(byte) i}, "Customer.email");
                cipher.decrypt(ct, "Customer.email");
            }
            byte[] wrongContext = ct;
            assertThrows(DecryptionFailedException.class, () -> cipher.decrypt(wrongContext, "Customer.phone"));

            assertEquals(n, seen.encrypts.get(), "every encryption is counted");
            assertEquals(n, seen.decrypts.get(), "every decryption is counted");
            assertEquals(1, seen.failures.get());
            // 32,001 operations timed with probability 1/32 each: mean 1,000, standard deviation about 31
            long timed = seen.timed.get();
            assertTrue(timed > 500 && timed < 1_500, "about one in " + PropertyCipher.TIMING_SAMPLE + " timed: " + timed);
            assertEquals(0, seen.negative.get(), "a timed operation never reports a negative duration");
        }
    }

    @Test
    void noObserver_stillEncryptsAndDecrypts() {
        try (PropertyFixture f = new PropertyFixture()) {
            PropertyCipher cipher = new PropertyCipher(f.cache, OperationObserver.NONE);
            byte[] ct = cipher.encrypt(new byte[] {1, 2, 3}, "c");
            assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), toList(cipher.decrypt(ct, "c")));
        }
    }

    private static List<Byte> toList(byte[] b) {
        return List.of(b[0], b[1], b[2]);
    }
}
