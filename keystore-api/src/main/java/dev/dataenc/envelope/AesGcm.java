package dev.dataenc.envelope;

import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.keystore.DataKey;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The project's AEAD primitive: AES-256-GCM with a 96-bit IV and a 128-bit tag, on the JCE.
 *
 * <p>Each thread keeps a few {@code AES/GCM/NoPadding} {@link Cipher}s, created once and re-initialised
 * for every operation, so the hot path never calls {@link Cipher#getInstance(String)}. Callers pass
 * arrays with offsets and a caller-owned output array, so an operation allocates nothing but the
 * JCE's own parameter object.
 *
 * <p>Additional authenticated data (AAD) is given in two parts, which are authenticated as their
 * concatenation: a slice of an array (typically a header already written into the output) and an
 * optional whole array (typically the UTF-8 bytes of a context string).
 *
 * <p>Keys must be 256-bit AES keys. A {@link DataKey} that is destroyed before or while the cipher
 * takes its key bytes makes the operation fail with {@link IllegalStateException} and nothing is
 * written; callers holding cache-owned keys fetch the key again and retry.
 *
 * <p>No key outlives its owner in a cached cipher. A thread's ciphers stay initialised with the
 * {@link DataKey}s they last used (up to four keys per thread), so the next operation under one of them skips the AES
 * key expansion
 * (the JCE keeps the expanded key while the key bytes stay the same): this is what makes small
 * property values cheap. The cipher registers itself with the key ({@link DataKey#onDestroy}): when
 * the key is destroyed (closed, evicted from the cache), every cipher still holding it is re-initialised
 * at once with a constant, public dummy key, under the cipher's lock, so it waits for an operation in
 * flight. The JCE's copies of the key (the key schedule, and the raw key GCM keeps for its IV-reuse
 * check) therefore live exactly as long as the {@code DataKey}'s own bytes, not until the thread's next
 * operation. Keys that are not {@code DataKey}s (the per-BLOB keys, callers' own keys) cannot tell us
 * when they die: for them the cipher is re-initialised with the dummy key after every operation, as
 * before. The JCE itself offers no way to wipe a cipher; re-initialising in encrypt mode overwrites (and
 * zeroes) both copies.
 *
 * <p>The caller is responsible for IV uniqueness: never encrypt twice with the same key and IV
 * (use 12 random bytes from a {@link java.security.SecureRandom} per message).
 */
public final class AesGcm {

    /** Key length in bytes (AES-256). */
    public static final int KEY_LENGTH = 32;
    /** IV length in bytes (96 bits). */
    public static final int IV_LENGTH = 12;
    /** Tag length in bytes (128 bits). */
    public static final int TAG_LENGTH = 16;

    private static final int TAG_BITS = TAG_LENGTH * 8;
    private static final ThreadLocal<CipherSlot> SLOT = ThreadLocal.withInitial(CipherSlot::new);
    /** Public, constant key a cached cipher holds when it holds no live key. */
    static final SecretKeySpec SCRUB_KEY = new SecretKeySpec(new byte[KEY_LENGTH], "AES");
    /** Makes every scrubbing IV distinct (the JCE refuses an encrypt-mode key and IV twice in a row). */
    private static final AtomicLong SCRUB_COUNTER = new AtomicLong();

    private AesGcm() {
    }

    /**
     * Encrypts {@code in[inOffset, inOffset + inLength)} and writes ciphertext followed by the
     * 16-byte tag ({@code inLength + 16} bytes) to {@code out} at {@code outOffset}. The output
     * region must not overlap the input.
     *
     * @param key       a 256-bit AES key
     * @param iv        array holding the 12-byte IV at {@code ivOffset}
     * @param aad       first AAD part (may be {@code null} when {@code aadLength} is 0)
     * @param aad2      second AAD part, authenticated after the first (may be {@code null} or empty)
     * @return the number of bytes written ({@code inLength + 16})
     * @throws IllegalArgumentException if the key is not a 256-bit AES key or an array is too small
     * @throws IllegalStateException if the key is destroyed
     */
    public static int encrypt(SecretKey key, byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
                              byte[] aad2, byte[] in, int inOffset, int inLength, byte[] out, int outOffset) {
        checkRanges(iv, ivOffset, aad, aadOffset, aadLength, in, inOffset, inLength);
        Objects.checkFromIndexSize(outOffset, inLength + TAG_LENGTH, Objects.requireNonNull(out, "out").length);
        checkKey(key);
        CipherSlot slot = SLOT.get();
        synchronized (slot) {
            Cipher c = slot.cipherFor(key);
            boolean done = false;
            try {
                init(c, Cipher.ENCRYPT_MODE, key, iv, ivOffset, aad, aadOffset, aadLength, aad2);
                int n = c.doFinal(in, inOffset, inLength, out, outOffset);
                done = true;
                return n;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
            } finally {
                slot.afterOperation(c, key, done);
            }
        }
    }

    /**
     * Decrypts ciphertext-with-tag {@code in[inOffset, inOffset + inLength)} and writes the
     * {@code inLength - 16} plaintext bytes to {@code out} at {@code outOffset}. Nothing is written
     * unless the tag verifies.
     *
     * @return the number of plaintext bytes written
     * @throws DecryptionFailedException if the tag does not verify (or the input is shorter than a tag)
     * @throws IllegalArgumentException if the key is not a 256-bit AES key or an array is too small
     * @throws IllegalStateException if the key is destroyed
     */
    public static int decrypt(SecretKey key, byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
                              byte[] aad2, byte[] in, int inOffset, int inLength, byte[] out, int outOffset) {
        checkRanges(iv, ivOffset, aad, aadOffset, aadLength, in, inOffset, inLength);
        if (inLength < TAG_LENGTH) {
            throw new DecryptionFailedException("AES-GCM input of " + inLength + " bytes is shorter than the "
                    + TAG_LENGTH + "-byte tag");
        }
        Objects.checkFromIndexSize(outOffset, inLength - TAG_LENGTH, Objects.requireNonNull(out, "out").length);
        checkKey(key);
        CipherSlot slot = SLOT.get();
        synchronized (slot) {
            Cipher c = slot.cipherFor(key);
            boolean done = false;
            try {
                init(c, Cipher.DECRYPT_MODE, key, iv, ivOffset, aad, aadOffset, aadLength, aad2);
                int n;
                try {
                    n = c.doFinal(in, inOffset, inLength, out, outOffset);
                } finally {
                    done = true; // a tag that does not verify leaves the cipher as usable as a success
                }
                return n;
            } catch (AEADBadTagException e) {
                throw new DecryptionFailedException("AES-GCM tag does not verify", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName(), e);
            } finally {
                slot.afterOperation(c, key, done);
            }
        }
    }

    private static void init(Cipher c, int mode, SecretKey key, byte[] iv, int ivOffset, byte[] aad,
                             int aadOffset, int aadLength, byte[] aad2) {
        try {
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv, ivOffset, IV_LENGTH));
        } catch (InvalidKeyException | RuntimeException e) {
            // DataKey.getEncoded() throws IllegalStateException once destroyed; the JCE may pass it
            // through or wrap it in InvalidKeyException (first init on a thread).
            if (isDestroyed(key)) {
                throw destroyed(key, e);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalArgumentException("not a usable AES-256 key: " + e.getMessage(), e);
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("AES-GCM refused the IV (" + e.getMessage()
                    + "); an IV must never be used twice with the same key", e);
        }
        // The key copy the cipher took is complete (DataKey.getEncoded never returns a half-zeroed
        // copy), but be strict: never go on with a key that has been destroyed meanwhile.
        if (isDestroyed(key)) {
            throw destroyed(key, null);
        }
        if (aadLength > 0) {
            c.updateAAD(aad, aadOffset, aadLength);
        }
        if (aad2 != null && aad2.length > 0) {
            c.updateAAD(aad2);
        }
    }

    /**
     * Re-initialises {@code c} with the public dummy key, overwriting the caller's key inside it: in
     * encrypt mode (with a fresh IV), because an encrypt-mode init is what replaces (and zeroes) the raw
     * key copy GCM keeps for its IV-reuse check; a decrypt-mode init leaves that copy in place.
     */
    static void scrub(Cipher c) {
        byte[] iv = new byte[IV_LENGTH];
        long n = SCRUB_COUNTER.incrementAndGet();
        for (int i = 0; i < Long.BYTES; i++) {
            iv[i] = (byte) (n >>> (8 * i));
        }
        try {
            c.init(Cipher.ENCRYPT_MODE, SCRUB_KEY, new GCMParameterSpec(TAG_BITS, iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot re-initialise AES-GCM with the dummy key", e);
        }
    }

    /** The cipher of this thread's last operation (tests check what key it holds). */
    static Cipher threadCipher() {
        CipherSlot slot = SLOT.get();
        synchronized (slot) {
            return slot.last;
        }
    }

    /** The cipher of this thread that holds {@code key}, or null (tests). */
    static Cipher threadCipherHolding(DataKey key) {
        CipherSlot slot = SLOT.get();
        synchronized (slot) {
            for (int i = 0; i < CipherSlot.WAYS; i++) {
                if (slot.holds[i] == key) {
                    return slot.ciphers[i];
                }
            }
            return null;
        }
    }

    /**
     * One thread's cached ciphers: up to {@value #WAYS} each initialised with one {@link DataKey} (null: the dummy key),
     * so a thread that alternates between a few CDKs (rows written before and after a rotation, a migration's old CDKs)
     * keeps each key schedule instead of expanding a key per message (on JDK 17 an expansion costs several times a
     * small message's decryption); the least recently used one is re-initialised for another key. Keys that are not
     * {@code DataKey}s use a separate cipher, scrubbed after every operation. The lock is held by the thread's operation
     * and by the destroy action a key runs, which scrubs every cipher still holding a destroyed key.
     */
    private static final class CipherSlot implements Runnable {
        static final int WAYS = 4;
        final Cipher[] ciphers = new Cipher[WAYS];
        final DataKey[] holds = new DataKey[WAYS]; // guarded by this
        private final long[] usedAt = new long[WAYS]; // guarded by this; 0: free
        private long tick; // guarded by this
        private Cipher scratch; // guarded by this
        Cipher last; // guarded by this

        /**
         * Called under the lock: the cipher for {@code key}, the one that holds it if any; the way is taken for the key
         * (and this slot registered with it) before the key reaches the cipher, so a destroy either sees this slot or
         * happened before, and then {@code getEncoded} refuses and {@link #afterOperation} scrubs.
         */
        Cipher cipherFor(SecretKey key) {
            if (!(key instanceof DataKey dk)) {
                if (scratch == null) {
                    scratch = newCipher();
                }
                last = scratch;
                tick++; // the next DataKey operation records its way as the last one again
                return scratch;
            }
            int victim = 0;
            for (int i = 0; i < WAYS; i++) {
                if (holds[i] == dk) {
                    if (usedAt[i] != tick) { // no writes when the same key is used again and again
                        usedAt[i] = ++tick;
                        last = ciphers[i];
                    }
                    return ciphers[i];
                }
                if (usedAt[i] < usedAt[victim]) {
                    victim = i;
                }
            }
            if (ciphers[victim] == null) {
                ciphers[victim] = newCipher();
            }
            holds[victim] = dk; // the key it held before (if any) is overwritten by the init that follows
            usedAt[victim] = ++tick;
            dk.onDestroy(this);
            last = ciphers[victim];
            return ciphers[victim];
        }

        /**
         * Called under the lock after every operation: scrubs the scratch cipher, a cipher whose key was destroyed
         * meanwhile, and one whose operation failed before it finished (it may hold a half-replaced key).
         */
        void afterOperation(Cipher c, SecretKey key, boolean done) {
            if (c == scratch) {
                scrub(c);
                last = scratch;
                return;
            }
            for (int i = 0; i < WAYS; i++) {
                if (ciphers[i] == c && (!done || holds[i] == null || holds[i].isDestroyed())) {
                    holds[i] = null;
                    usedAt[i] = 0;
                    scrub(c);
                }
            }
        }

        /** The destroy action of a key this slot held: scrubs every cipher still holding a destroyed key. */
        @Override
        public synchronized void run() {
            for (int i = 0; i < WAYS; i++) {
                if (holds[i] != null && holds[i].isDestroyed()) {
                    holds[i] = null;
                    usedAt[i] = 0;
                    scrub(ciphers[i]);
                }
            }
        }
    }

    private static void checkKey(SecretKey key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof DataKey) {
            return; // always 32 bytes by construction
        }
        if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("AES-GCM needs an AES key, got algorithm " + key.getAlgorithm());
        }
        byte[] encoded = key.getEncoded();
        try {
            int length = encoded == null ? -1 : encoded.length;
            if (length != KEY_LENGTH) {
                throw new IllegalArgumentException("AES-GCM here uses 256-bit keys (" + KEY_LENGTH
                        + " bytes), got " + (length < 0 ? "a key without encoding" : length + " bytes"));
            }
        } finally {
            DataKey.zeroize(encoded);
        }
    }

    private static void checkRanges(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
                                    byte[] in, int inOffset, int inLength) {
        Objects.checkFromIndexSize(ivOffset, IV_LENGTH, Objects.requireNonNull(iv, "iv").length);
        if (aadLength > 0) {
            Objects.checkFromIndexSize(aadOffset, aadLength, Objects.requireNonNull(aad, "aad").length);
        }
        Objects.checkFromIndexSize(inOffset, inLength, Objects.requireNonNull(in, "in").length);
    }

    private static boolean isDestroyed(SecretKey key) {
        return key.isDestroyed();
    }

    private static IllegalStateException destroyed(SecretKey key, Exception cause) {
        String what = key instanceof DataKey dk ? "data key of CDK " + dk.cdkId() : "key";
        return new IllegalStateException(what + " was destroyed before AES-GCM could use it", cause);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("this JRE has no AES/GCM/NoPadding cipher", e);
        }
    }
}
