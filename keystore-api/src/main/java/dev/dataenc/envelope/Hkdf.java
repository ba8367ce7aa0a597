package dev.dataenc.envelope;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): {@link #extract} then {@link #expand}, or both at once
 * with {@link #derive}. Intermediate values (the pseudo-random key and the HMAC blocks) are
 * overwritten with zeros before returning. The HMAC implementation keeps state derived from the
 * key inside {@link Mac}, which the JDK offers no way to wipe: after every call the {@code Mac} is
 * re-keyed with a public dummy key, which replaces that state, and kept as the thread's spare for the
 * next call.
 */
public final class Hkdf {

    /** Output length of HMAC-SHA256 in bytes. */
    public static final int HASH_LENGTH = 32;

    /** Largest output HKDF-SHA256 can produce: 255 blocks of 32 bytes. */
    public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    /**
     * Extract and expand in one step.
     *
     * @param ikm    input keying material (may be empty)
     * @param salt   salt; {@code null} or empty means {@value #HASH_LENGTH} zero bytes (RFC 5869 section 2.2)
     * @param info   context and application specific information (may be empty)
     * @param length output length in bytes, 0 to {@value #MAX_OUTPUT_LENGTH}
     * @return {@code length} bytes of output keying material, owned by the caller
     * @throws IllegalArgumentException if {@code length} is out of range
     */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        checkLength(length);
        byte[] prk = extract(ikm, salt);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /**
     * HKDF-Extract: {@code PRK = HMAC-SHA256(salt, ikm)}.
     *
     * @return the 32-byte pseudo-random key, owned by the caller (zero it when done)
     */
    public static byte[] extract(byte[] ikm, byte[] salt) {
        Objects.requireNonNull(ikm, "ikm");
        byte[] key = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        Mac mac = newMac(key);
        try {
            return mac.doFinal(ikm);
        } finally {
            release(mac);
        }
    }

    /**
     * HKDF-Expand: {@code T(i) = HMAC-SHA256(prk, T(i-1) || info || i)}, output the first
     * {@code length} bytes of {@code T(1) || T(2) || ...}.
     *
     * @param prk    pseudo-random key, at least {@value #HASH_LENGTH} bytes
     * @param info   context information (may be empty, not null)
     * @param length output length, 0 to {@value #MAX_OUTPUT_LENGTH}
     * @throws IllegalArgumentException if {@code length} is out of range or {@code prk} is too short
     */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        Objects.requireNonNull(prk, "prk");
        Objects.requireNonNull(info, "info");
        checkLength(length);
        if (prk.length < HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-Expand needs a pseudo-random key of at least " + HASH_LENGTH
                    + " bytes, got " + prk.length);
        }
        Mac mac = newMac(prk);
        byte[] okm = new byte[length];
        byte[] t = new byte[HASH_LENGTH];
        try {
            int done = 0;
            for (int i = 1; done < length; i++) {
                if (i > 1) {
                    mac.update(t);
                }
                mac.update(info);
                mac.update((byte) i);
                mac.doFinal(t, 0);
                int n = Math.min(HASH_LENGTH, length - done);
                System.arraycopy(t, 0, okm, done, n);
                done += n;
            }
            return okm;
        } catch (GeneralSecurityException e) {
            Arrays.fill(okm, (byte) 0);
            throw new IllegalStateException("HMAC-SHA256 failed unexpectedly", e);
        } finally {
            Arrays.fill(t, (byte) 0);
            release(mac);
        }
    }

    private static void checkLength(int length) {
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be from 0 to " + MAX_OUTPUT_LENGTH
                    + " bytes (255 * hash length), got " + length);
        }
    }

    /** Public, constant key a thread's spare {@code Mac} holds between uses. */
    private static final SecretKeySpec SCRUB_KEY = new SecretKeySpec(new byte[HASH_LENGTH], HMAC);
    /** One spare HMAC-SHA256 per thread, re-keyed with {@link #SCRUB_KEY} after every use. */
    private static final ThreadLocal<Mac> SPARE = new ThreadLocal<>();

    /**
     * Re-keys {@code mac} with the public dummy key (two SHA-256 blocks: cheap), which replaces the state derived from
     * the caller's key, and keeps it as this thread's spare: the caller's key does not stay in it, and the next
     * derivation skips {@code Mac.getInstance}.
     */
    private static void release(Mac mac) {
        try {
            mac.init(SCRUB_KEY);
        } catch (InvalidKeyException e) {
            return; // not kept: it may still hold the caller's key until it is garbage
        }
        SPARE.set(mac);
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = SPARE.get();
            if (mac != null) {
                SPARE.set(null);
            } else {
                mac = Mac.getInstance(HMAC);
            }
            // SecretKeySpec copies the key and cannot be wiped (JDK limitation); it is
            // unreachable as soon as this call returns.
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("HMAC-SHA256 rejected the key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
