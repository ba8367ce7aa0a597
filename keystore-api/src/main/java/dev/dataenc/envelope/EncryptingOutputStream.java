package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts what is written to it into the BLOB format, segment by segment, onto an underlying
 * stream. Memory is one segment buffer whatever the BLOB size. A segment is encrypted once it
 * is known not to be the last (the next byte has arrived); {@link #finish()} or
 * {@link #close()} encrypts the last one. Without either the ciphertext is incomplete and will
 * not decrypt. Made by {@link BlobCipher#encryptingStream}; not thread-safe.
 */
public final class EncryptingOutputStream extends OutputStream {

    private final OutputStream out;
    private final SegmentCipher cipher;
    private final CdkId cdkId;
    private final byte[] header;
    private final byte[] segment;
    private int buffered;
    private long index;
    private long plaintextBytes;
    private boolean headerWritten;
    private boolean finished;
    private boolean closed;
    private boolean failed;

    EncryptingOutputStream(OutputStream out, CdkId cdkId, byte[] header, SegmentCipher cipher, int segmentSize) {
        this.out = Objects.requireNonNull(out, "ciphertextOut");
        this.cdkId = cdkId;
        this.header = header;
        this.cipher = cipher;
        this.segment = new byte[segmentSize];
    }

    /** The CDK this BLOB is encrypted under. */
    public CdkId cdkId() {
        return cdkId;
    }

    /** Plaintext bytes accepted so far. */
    public long plaintextBytes() {
        return plaintextBytes;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (buffered == segment.length) {
            flushSegment(segment, 0, segment.length, false);
            buffered = 0;
        }
        segment[buffered++] = (byte) b;
        plaintextBytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        int size = segment.length;
        while (len > 0) {
            if (buffered == size) {
                flushSegment(segment, 0, size, false);
                buffered = 0;
            }
            if (buffered == 0 && len > size) {
                // a whole segment with more bytes after it: encrypt straight from the caller's array
                flushSegment(b, off, size, false);
                off += size;
                len -= size;
                plaintextBytes += size;
                continue;
            }
            int n = Math.min(len, size - buffered);
            System.arraycopy(b, off, segment, buffered, n);
            buffered += n;
            off += n;
            len -= n;
            plaintextBytes += n;
        }
    }

    /**
     * Reads {@code in} to its end and encrypts it, reading straight into the segment buffer.
     * Does not close {@code in}. Returns the number of bytes read.
     */
    long transferFrom(InputStream in) throws IOException {
        ensureOpen();
        long total = 0;
        int size = segment.length;
        while (true) {
            if (buffered == size) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                flushSegment(segment, 0, size, false);
                segment[0] = (byte) next;
                buffered = 1;
                total++;
                plaintextBytes++;
            }
            int n = in.read(segment, buffered, size - buffered);
            if (n < 0) {
                break;
            }
            buffered += n;
            total += n;
            plaintextBytes += n;
        }
        return total;
    }

    /**
     * Flushes the underlying stream. Buffered plaintext of the current segment is not written:
     * a segment can only be encrypted once it is complete or known to be the last.
     */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    /**
     * Encrypts the last segment, flushes the underlying stream and wipes the key, without closing
     * the underlying stream. Further writes fail. Idempotent.
     */
    public void finish() throws IOException {
        if (finished || closed) {
            return;
        }
        if (failed) {
            throw new IOException("BLOB encryption failed earlier; the ciphertext written so far is incomplete and must be discarded");
        }
        try {
            flushSegment(segment, 0, buffered, true);
            out.flush();
            finished = true;
        } finally {
            wipe();
        }
    }

    /** {@link #finish()}, then closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (!failed) {
                finish();
            }
        } finally {
            closed = true;
            wipe();
            out.close();
        }
    }

    /** Wipes key and buffer without writing or closing anything; a no-op after a finish. */
    void abandon() {
        if (!finished) {
            failed = true;
        }
        wipe();
    }

    private void flushSegment(byte[] src, int off, int len, boolean last) throws IOException {
        try {
            if (index > BlobFormat.MAX_SEGMENT_INDEX) {
                throw new IllegalStateException("a BLOB has at most 2^32 segments (" + segment.length + " bytes each);"
                        + " split the data or use a larger segment size");
            }
            if (!headerWritten) {
                out.write(header);
                headerWritten = true;
            }
            cipher.encrypt(index, last, src, off, len, out);
            index++;
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            wipe();
            throw e;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed || finished) {
            throw new IOException("BLOB encrypting stream is already " + (closed ? "closed" : "finished"));
        }
        if (failed) {
            throw new IOException("BLOB encryption failed earlier; the ciphertext written so far is incomplete and must be discarded");
        }
    }

    private void wipe() {
        cipher.destroy();
        Arrays.fill(segment, (byte) 0);
        buffered = 0;
    }

    @Override
    public String toString() {
        return "EncryptingOutputStream[cdk=" + cdkId + ", segment=" + index + "]";
    }
}
