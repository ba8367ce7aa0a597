package dev.dataenc.envelope;

import dev.dataenc.error.DecryptionFailedException;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over the segments of one BLOB: one {@link Cipher} per stream (from the thread's {@link CipherPool},
 * given back scrubbed by {@link #destroy()}, after which this object refuses every operation), re-initialised
 * per segment with that segment's nonce. A segment of up to {@value #CHUNK} bytes (the default size)
 * is encrypted in one update and a doFinal and written to the sink in one write (ciphertext || tag); longer ones are
 * encrypted in chunks of at most {@value #CHUNK} bytes, each written as it is produced. Decryption is
 * one call per segment whatever its size (see {@link #decrypt}).
 * Not thread-safe: one per stream.
 */
final class SegmentCipher {

    /** Largest piece handed to one {@code Cipher.update} call. */
    static final int CHUNK = 64 * 1024;

    private final Cipher cipher;
    private final BlobKey key;
    private final SegmentNonce nonce;
    /**
     * Ciphertext output of encryption (never plaintext): made (or taken from the thread's {@link BufferPool}) at the
     * first encryption, at least as large as that segment needs (at most one chunk plus tags), grown if a later one needs
     * more, given back by {@link #destroy()}; decryption never uses it.
     */
    private byte[] out = EMPTY;
    private static final byte[] EMPTY = new byte[0];
    /** Set by {@link #destroy()}: the cipher is back in the pool and must not be touched again. */
    private boolean destroyed;

    /** Whether {@link #out} comes from and goes back to the thread's {@link BufferPool}. */
    private final boolean pooled;

    SegmentCipher(BlobKey key, byte[] noncePrefix) {
        this(key, noncePrefix, false);
    }

    /** @param pooled whether the encryption output buffer is a {@link BufferPool} spare (streams that never escape) */
    SegmentCipher(BlobKey key, byte[] noncePrefix, boolean pooled) {
        this.key = key;
        this.nonce = new SegmentNonce(noncePrefix);
        this.pooled = pooled;
        this.cipher = CipherPool.take();
        GcmWarmUp.startOnce(); // the first BLOB stream in this JVM brings the JIT's GCM code in (see GcmWarmUp)
    }

    /**
     * Encrypts {@code len} plaintext bytes as segment {@code index} and writes ciphertext and tag
     * to {@code sink}. Returns the number of bytes written.
     */
    long encrypt(long index, boolean last, byte[] src, int off, int len, OutputStream sink) throws IOException {
        init(Cipher.ENCRYPT_MODE, index, last);
        int need = Math.min(len, CHUNK) + 2 * BlobFormat.TAG_LENGTH;
        if (out.length < need) {
            byte[] small = out; // ciphertext only
            out = BufferPool.take(pooled, need, Integer.MAX_VALUE);
            BufferPool.give(pooled, small);
        }
        long written = 0;
        try {
            if (len <= CHUNK) {
                // an ordinary segment: one write of ciphertext || tag. Through update, then doFinal for the tag, as the
                // chunked path below: on HotSpot 17 a one-call doFinal over a whole segment ran GHASH in Java instead
                // of its intrinsic for a long time after start in the runs measured (that call path compiles cold).
                int produced = cipher.update(src, off, len, out, 0);
                produced += cipher.doFinal(out, produced);
                sink.write(out, 0, produced);
                return produced;
            }
            int pos = off;
            int end = off + len;
            while (pos < end) {
                int n = Math.min(CHUNK, end - pos);
                int produced = cipher.update(src, pos, n, out, 0);
                sink.write(out, 0, produced);
                written += produced;
                pos += n;
            }
            int produced = cipher.doFinal(out, 0);
            sink.write(out, 0, produced);
            return written + produced;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption of a BLOB segment failed unexpectedly", e);
        }
    }

    /**
     * Decrypts and verifies segment {@code index} ({@code len} bytes: ciphertext || tag) into
     * {@code dest} at {@code destOff}, which must have room for {@code len - 16} bytes. Returns
     * the plaintext length. On failure the destination range is zeroed before throwing.
     *
     * @throws DecryptionFailedException if the tag does not verify
     */
    int decrypt(long index, boolean last, byte[] src, int off, int len, byte[] dest, int destOff) {
        init(Cipher.DECRYPT_MODE, index, last);
        int plainLen = len - BlobFormat.TAG_LENGTH;
        try {
            // One call whatever the segment size: JDK GCM decryption holds back all output until doFinal has
            // checked the tag, and Cipher.update in decrypt mode only copies its input into a growing internal
            // buffer, so feeding a long segment in chunks would add a copy and up to twice its size in garbage.
            return cipher.doFinal(src, off, len, dest, destOff);
        } catch (AEADBadTagException e) {
            java.util.Arrays.fill(dest, destOff, destOff + Math.max(0, plainLen), (byte) 0);
            throw new DecryptionFailedException(failureMessage(index), e);
        } catch (GeneralSecurityException e) {
            java.util.Arrays.fill(dest, destOff, destOff + Math.max(0, plainLen), (byte) 0);
            throw new IllegalStateException("AES-GCM decryption of a BLOB segment failed unexpectedly", e);
        }
    }

    static String failureMessage(long index) {
        if (index == 0) {
            return "BLOB segment 0 failed authentication: the context differs from the one used to encrypt, the header"
                    + " or first segment was modified, or the data was not encrypted with this CDK. No plaintext was released.";
        }
        return "BLOB segment " + index + " failed authentication: the ciphertext was modified, truncated, reordered or"
                + " extended after encryption. Plaintext of earlier, verified segments was released; none of this segment.";
    }

    /** Wipes the per-blob key, and re-initialises the cipher with a dummy key so it holds no copy of it. */
    void destroy() {
        key.destroy();
        if (destroyed) {
            return;
        }
        destroyed = true;
        AesGcm.scrub(cipher);
        CipherPool.give(cipher); // holds the public dummy key now
        BufferPool.give(pooled, out); // ciphertext only; init refuses every operation from now on
        out = EMPTY;
    }

    /** Size of the encryption output buffer (0 until the first encryption). */
    int outputCapacity() {
        return out.length;
    }

    /** The cipher (tests check that it holds the dummy key after {@link #destroy()}). */
    Cipher cipherForTest() {
        return cipher;
    }

    private void init(int mode, long index, boolean last) {
        if (destroyed) {
            // the cipher went back to the thread's pool: it must not be touched again
            throw new IllegalStateException("this BLOB stream's key was wiped; open a new stream");
        }
        try {
            cipher.init(mode, key, new GCMParameterSpec(BlobFormat.TAG_LENGTH * 8, nonce.of(index, last)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise AES-GCM for a BLOB segment", e);
        }
    }
}
