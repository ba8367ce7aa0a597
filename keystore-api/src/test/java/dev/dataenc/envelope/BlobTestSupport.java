package dev.dataenc.envelope;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;

/** Helpers shared by the BLOB cipher tests. */
final class BlobTestSupport {

    static final int SEGMENT = 4096;
    static final String CONTEXT = "Invoice.pdf";

    private BlobTestSupport() {
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] encrypt(BlobCipher cipher, byte[] plaintext, String context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cipher.encrypt(new ByteArrayInputStream(plaintext), out, context);
        return out.toByteArray();
    }

    static byte[] decrypt(BlobCipher cipher, byte[] ciphertext, String context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cipher.decrypt(new ByteArrayInputStream(ciphertext), out, context);
        return out.toByteArray();
    }

    /** Ciphertext length for {@code plainLen} bytes with segment size {@code seg}. */
    static int ciphertextLength(int plainLen, int seg) {
        int segments = plainLen / seg + 1;
        if (plainLen > 0 && plainLen % seg == 0) {
            segments--;
        }
        return BlobFormat.HEADER_LENGTH + plainLen + segments * BlobFormat.TAG_LENGTH;
    }

    /** Reads everything until the end or a failure; the bytes read before a failure are kept in {@code sink}. */
    static RuntimeException readUntilFailure(InputStream in, ByteArrayOutputStream sink) {
        return readUntilFailure(in, sink, 1000);
    }

    /** As above, reading with a buffer of {@code bufferSize} bytes. */
    static RuntimeException readUntilFailure(InputStream in, ByteArrayOutputStream sink, int bufferSize) {
        byte[] buf = new byte[bufferSize];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                sink.write(buf, 0, n);
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An output stream that accepts writes only in pieces of at most {@code max} bytes. */
    static OutputStream chunked(OutputStream out, int max) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(max, len);
                    out.write(b, off, n);
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    /** An input stream that returns at most {@code max} bytes per read. */
    static InputStream trickle(InputStream in, int max) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, max));
            }
        };
    }
}
