package dev.dataenc.envelope;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * One spare {@code AES/GCM/NoPadding} {@link Cipher} per thread for BLOB streams: a stream takes the thread's spare
 * (or a new one) and gives it back when it wipes its key, after re-initialising it with the public dummy key
 * ({@link AesGcm#scrub}), so a spare never holds a BLOB key.
 *
 * <p>Besides saving {@code Cipher.getInstance} per BLOB, a long-lived cipher is what lets the JIT use the JDK's GHASH
 * intrinsic for BLOB segments: with a new cipher per BLOB, HotSpot 17 kept running GHASH in Java (measured: a
 * 64 KiB BLOB decrypted 4-5 times slower than with a reused cipher, see docs/BENCHMARKS.md).
 */
final class CipherPool {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final ThreadLocal<Cipher> SPARE = new ThreadLocal<>();

    private CipherPool() {
    }

    /** This thread's spare cipher, or a new one. */
    static Cipher take() {
        Cipher c = SPARE.get();
        if (c != null) {
            SPARE.set(null);
            return c;
        }
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available in this JVM", e);
        }
    }

    /** Keeps {@code c}, which must hold no key but the dummy one, as this thread's spare if it has none. */
    static void give(Cipher c) {
        if (SPARE.get() == null) {
            SPARE.set(c);
        }
    }
}
