package dev.dataenc.envelope;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random 96-bit IVs for property encryption (and BLOB salts and nonce prefixes), drawn in bulk from NIST SP 800-90A DRBGs
 * ({@code SecureRandom.getInstance("DRBG")}, each seeded by the JDK from the system's entropy source).
 * Asking a {@code SecureRandom} for 12 bytes at a time costs about 300 ns on Linux (the default
 * {@code NativePRNG} takes a global lock and mixes in SHA1PRNG output per call); a DRBG filling a
 * 4 KiB buffer costs about 50 ns per IV. IVs are public (they are written into the ciphertext); what
 * matters is that they are unpredictable and never repeat, and every buffered byte is handed out once.
 *
 * <p>A few stripes (each with its own DRBG, buffer and lock), picked by thread id, keep threads from
 * contending without one DRBG per thread (which would cost a seeding per short-lived or virtual thread).
 */
final class IvSource {

    /** Bytes drawn from a DRBG at a time: a multiple of the IV length. */
    static final int BUFFER = 340 * AesGcm.IV_LENGTH;

    private static final Stripe[] STRIPES = newStripes(Integer.highestOneBit(
            Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1);

    private IvSource() {
    }

    /** Writes a fresh random IV of {@value AesGcm#IV_LENGTH} bytes at {@code out[offset]}. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() exists only from Java 19
    static void next(byte[] out, int offset) {
        Stripe s = STRIPES[(int) Thread.currentThread().getId() & (STRIPES.length - 1)];
        synchronized (s) {
            if (s.pos == BUFFER) {
                if (s.random == null) {
                    s.random = newDrbg(); // on first use: a start pays for one DRBG, not one per stripe
                }
                s.random.nextBytes(s.buffer);
                s.pos = 0;
            }
            System.arraycopy(s.buffer, s.pos, out, offset, AesGcm.IV_LENGTH);
            s.pos += AesGcm.IV_LENGTH;
        }
    }

    /**
     * Fills {@code out} with fresh random bytes from the same DRBGs (a BLOB's salt and nonce prefix: public values
     * that must be unpredictable and never repeat, like IVs).
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() exists only from Java 19
    static void fill(byte[] out) {
        Stripe s = STRIPES[(int) Thread.currentThread().getId() & (STRIPES.length - 1)];
        synchronized (s) {
            int done = 0;
            while (done < out.length) {
                if (s.pos == BUFFER) {
                    if (s.random == null) {
                        s.random = newDrbg();
                    }
                    s.random.nextBytes(s.buffer);
                    s.pos = 0;
                }
                int n = Math.min(out.length - done, BUFFER - s.pos);
                System.arraycopy(s.buffer, s.pos, out, done, n);
                s.pos += n;
                done += n;
            }
            // keep IVs at multiples of their length in the buffer: skip to the next boundary
            s.pos = Math.min(BUFFER, (s.pos + AesGcm.IV_LENGTH - 1) / AesGcm.IV_LENGTH * AesGcm.IV_LENGTH);
        }
    }

    private static Stripe[] newStripes(int n) {
        Stripe[] stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe();
        }
        return stripes;
    }

    private static SecureRandom newDrbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JRE has no DRBG SecureRandom (Java 9 and later do)", e);
        }
    }

    /** One DRBG (made on first use) with its buffer; {@code pos == BUFFER} means empty. */
    private static final class Stripe {
        final byte[] buffer = new byte[BUFFER];
        SecureRandom random; // guarded by this
        int pos = BUFFER; // guarded by this
    }
}
