package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tells whether two streams carried the same bytes, without keeping either: the plaintext a migration read from the
 * old ciphertext ({@link #first}) and the plaintext it got back by decrypting the new one ({@link #second}).
 *
 * <p>Each side AES-256-GCM-encrypts what passes through under one random key made for this comparison alone,
 * throws the ciphertext away and keeps the tags; {@link #same()} compares them in constant time. Both sides use
 * the same key and nonces, so equal bytes give equal tags; for different bytes a GCM tag is a polynomial
 * (universal) hash of the CTR ciphertext, itself a bijection of the plaintext, so the tags of two different streams
 * of up to {@code L} bytes agree with probability at most {@code (L/16 + 2) / 2^128}, since neither stream can
 * depend on the key: nothing derived from it leaves this object but the verdict.
 * With the JDK's AES and GHASH intrinsics this is about three times faster than SHA-256, which is what the
 * migration hashed both plaintexts with before.
 *
 * <p>The JDK caps one GCM operation at {@code Integer.MAX_VALUE} bytes, so each side cuts its stream into rounds of
 * {@link #ROUND} bytes at the same offsets (nonce = round number) and hashes the rounds' tags and the length with
 * SHA-256. The key is a {@link DataKey} generated for this comparison (under a random id that names no CDK);
 * {@link #close()} destroys it, re-initialises both ciphers with a dummy key and zeroes the scratch buffers.
 * Not thread-safe; one comparison per object.
 */
final class PlaintextComparison implements AutoCloseable {

    /** Bytes per GCM operation (below the JDK's per-operation limit). */
    static final long ROUND = 1L << 30;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHUNK = 64 * 1024;

    private final DataKey key;
    private final Side first;
    private final Side second;

    private PlaintextComparison(long round) {
        this.key = DataKey.generate(CdkId.random()); // a fresh random AES-256 key; the id names no CDK
        this.first = new Side(key, round);
        this.second = new Side(key, round);
    }

    /** A comparison under a fresh random key. */
    static PlaintextComparison open() {
        return new PlaintextComparison(ROUND);
    }

    /** With short rounds, so tests cross round boundaries without gigabytes. */
    static PlaintextComparison withRound(long round) {
        return new PlaintextComparison(round);
    }

    /**
     * {@code in}, with every byte read from it counted on the first side. Mark/reset is not supported (a byte read
     * twice would count twice) and {@code skip} reads the bytes it skips.
     */
    InputStream first(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    first.update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    first.update(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] skipped = new byte[(int) Math.min(Math.max(n, 0), CHUNK)];
                long done = 0;
                while (done < n) {
                    int r = read(skipped, 0, (int) Math.min(skipped.length, n - done));
                    if (r < 0) {
                        break;
                    }
                    done += r;
                }
                Arrays.fill(skipped, (byte) 0);
                return done;
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            @Override
            public synchronized void mark(int readlimit) {
            }

            @Override
            public synchronized void reset() throws IOException {
                throw new IOException("mark/reset not supported");
            }
        };
    }

    /** A sink whose bytes are counted on the second side. */
    OutputStream second() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                second.update(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                second.update(b, off, len);
            }
        };
    }

    /** Whether both sides saw the same bytes; finishes both sides (call after both streams ended; no bytes after). */
    boolean same() {
        return MessageDigest.isEqual(first.finish(), second.finish());
    }

    @Override
    public void close() {
        first.scrub();
        second.scrub();
        key.destroy();
    }

    /** One side: a GCM encryption whose output is discarded, restarted every {@code round} bytes. */
    private static final class Side {
        private final DataKey key;
        private final long round;
        private final Cipher cipher;
        private final byte[] scratch = new byte[CHUNK + 32];
        private final MessageDigest tags = BinaryReencryption.sha256();
        private long inRound;
        private long total;
        private int roundNumber;
        private byte[] result;
        private boolean scrubbed;

        Side(DataKey key, long round) {
            this.key = key;
            this.round = round;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
            }
            start();
        }

        void update(byte[] b, int off, int len) {
            if (scrubbed || result != null) {
                throw new IllegalStateException("this comparison is " + (scrubbed ? "closed" : "finished"));
            }
            while (len > 0) {
                if (inRound == round) {
                    endRound();
                    start();
                }
                int n = (int) Math.min(Math.min(len, CHUNK), round - inRound);
                try {
                    cipher.update(b, off, n, scratch, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-GCM failed on a plaintext comparison", e);
                }
                off += n;
                len -= n;
                inRound += n;
                total += n;
            }
        }

        byte[] finish() {
            if (scrubbed) {
                throw new IllegalStateException("this comparison is closed");
            }
            if (result == null) {
                endRound();
                for (int i = 0; i < 8; i++) {
                    tags.update((byte) (total >>> (56 - 8 * i)));
                }
                result = tags.digest();
            }
            return result;
        }

        void scrub() {
            scrubbed = true;
            Arrays.fill(scratch, (byte) 0);
            try {
                byte[] iv = new byte[12];
                RANDOM.nextBytes(iv);
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"),
                        new GCMParameterSpec(128, iv));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot re-initialise a GCM cipher with a dummy key", e);
            }
        }

        private void start() {
            byte[] iv = new byte[12];
            iv[8] = (byte) (roundNumber >>> 24);
            iv[9] = (byte) (roundNumber >>> 16);
            iv[10] = (byte) (roundNumber >>> 8);
            iv[11] = (byte) roundNumber;
            roundNumber++;
            inRound = 0;
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot initialise AES-256-GCM", e);
            }
        }

        private void endRound() {
            try {
                int n = cipher.doFinal(scratch, 0);
                tags.update(scratch, n - 16, 16);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed on a plaintext comparison", e);
            }
        }
    }
}
