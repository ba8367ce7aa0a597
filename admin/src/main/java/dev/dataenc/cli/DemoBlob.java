package dev.dataenc.cli;

import dev.dataenc.envelope.BlobCipher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** The demo's sample BLOB: deterministic pseudo-random bytes of any size, encrypted to a file and checked by SHA-256. */
final class DemoBlob {

    static final String CONTEXT = "Invoice.pdf";

    private DemoBlob() {
    }

    /** Encrypts {@code size} sample bytes into {@code file}; returns the SHA-256 of the plaintext. */
    static byte[] encrypt(BlobCipher blobs, Path file, long size) throws IOException {
        MessageDigest digest = sha256();
        Files.deleteIfExists(file);
        Files.createFile(file, PrivateOutput.ownerOnly()); // 0600 like every file dataenc creates, whatever the umask
        try (InputStream source = new DigestInputStream(new SampleData(size), digest);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            blobs.encrypt(source, out, CONTEXT);
        }
        return digest.digest();
    }

    /** Decrypts {@code file} (every segment verified) and returns the SHA-256 of the plaintext. */
    static byte[] decrypt(BlobCipher blobs, Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            blobs.decrypt(in, sink, CONTEXT);
        }
        return digest.digest();
    }

    /** The first bytes of a digest in hex, for display. */
    static String shortHex(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 8) + "...";
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deterministic pseudo-random bytes generated on the fly, so any size needs no memory. */
    private static final class SampleData extends InputStream {
        private final SplittableRandom random = new SplittableRandom(42);
        private long remaining;

        SampleData(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            remaining -= n;
            return n;
        }
    }
}
