package dev.dataenc.envelope;

import dev.dataenc.testing.FixedDataKeySource;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Child-JVM program for {@link BlobCipherFlatMemoryTest}: streams {@code args[1]} bytes of
 * deterministic pseudo-random plaintext (generated on the fly) through BLOB encryption into the
 * file {@code args[0]}, then decrypts the file streaming, and prints
 * {@code source=<sha256> decrypted=<sha256> bytes=<n>}. Run with a small heap to prove memory
 * does not grow with the BLOB size.
 */
public final class BlobFlatMemoryMain {

    private BlobFlatMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        BlobCipher cipher = new BlobCipher(FixedDataKeySource.withRandomKey());
        MessageDigest sourceDigest = MessageDigest.getInstance("SHA-256");
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream enc = cipher.encryptingStream(fileOut, "flat-memory-test")) {
            PseudoRandomStream src = new PseudoRandomStream(size, 0x5EED);
            byte[] buf = new byte[100_000]; // deliberately not a multiple of the segment size
            int n;
            while ((n = src.read(buf)) > 0) {
                sourceDigest.update(buf, 0, n);
                enc.write(buf, 0, n);
            }
        }
        MessageDigest plainDigest = MessageDigest.getInstance("SHA-256");
        long count;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DigestInputStream dec = new DigestInputStream(cipher.decryptingStream(in, "flat-memory-test"), plainDigest)) {
            count = dec.transferTo(OutputStream.nullOutputStream());
        }
        HexFormat hex = HexFormat.of();
        System.out.println("source=" + hex.formatHex(sourceDigest.digest()) + " decrypted=" + hex.formatHex(plainDigest.digest())
                + " bytes=" + count + " ciphertextBytes=" + Files.size(file)
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }

    /** {@code size} bytes from a xorshift64* generator; nothing is held in memory. */
    static final class PseudoRandomStream extends InputStream {
        private long remaining;
        private long state;

        PseudoRandomStream(long size, long seed) {
            this.remaining = size;
            this.state = seed == 0 ? 1 : seed;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            int i = 0;
            while (i < n) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                long v = state * 0x2545F4914F6CDD1DL;
                for (int k = 0; k < 8 && i < n; k++, i++) {
                    b[off + i] = (byte) (v >>> (k * 8));
                }
            }
            remaining -= n;
            return n;
        }
    }
}
