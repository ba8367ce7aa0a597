package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts what is written to it into the BLOB format, segment by segment, onto an underlying
 * stream. Memory is at most one segment buffer whatever the BLOB size (less for a BLOB smaller than a segment). A segment is encrypted once it
 * is known not to be the last (the next byte has arrived); {@link #finish()} or
 * {@link #close()} encrypts the last one. Without either the ciphertext is incomplete and will
 * not decrypt. Made by {@link BlobCipher#encryptingStream}; not thread-safe.
 */
public final class EncryptingOutputStream extends OutputStream {

    private final OutputStream out;
    private final SegmentCipher cipher;
    private final CdkId cdkId;
    private final byte[] header;
    /** The segment size: a segment is encrypted once this many plaintext bytes are buffered and more follow. */
    private final int size;
    /**
     * The plaintext buffer: starts at {@value #INITIAL_BUFFER} bytes (or the segment size if smaller) and grows up to
     * the segment size as bytes arrive (doubling, or at once to what a write or the source's {@code available()} says
     * is coming), so a small BLOB neither allocates nor wipes a whole segment. For {@link BlobCipher#encrypt} taken
     * from the thread's {@link BufferPool} (a spare may be larger than asked, never larger than a segment) and given
     * back by the wipe that ends the stream; only the bytes that held plaintext ({@link #dirty}) are zeroed.
     */
    private byte[] segment;
    /** How many bytes of {@link #segment} have held plaintext since the last wipe (what a wipe must zero). */
    private int dirty;
    private int buffered;
    private long index;
    private long plaintextBytes;
    private boolean headerWritten;
    private boolean finished;
    private boolean closed;
    private boolean failed;

    /** Whether the buffers come from and go back to the thread's {@link BufferPool} (streams that never escape). */
    private final boolean pooled;

    /** Told once how the stream ended (see {@link BlobCipher#encryptingStream}); NONE for BlobCipher's own streams. */
    private OperationObserver observer = OperationObserver.NONE;
    private long openedAt;
    private boolean reported;

    EncryptingOutputStream(OutputStream out, CdkId cdkId, byte[] header, SegmentCipher cipher, int segmentSize,
                           boolean pooled) {
        this.out = Objects.requireNonNull(out, "ciphertextOut");
        this.cdkId = cdkId;
        this.header = header;
        this.cipher = cipher;
        this.size = segmentSize;
        this.pooled = pooled;
        this.segment = BufferPool.take(pooled, Math.min(segmentSize, INITIAL_BUFFER), segmentSize);
    }

    /** First size of the plaintext buffer. */
    static final int INITIAL_BUFFER = 8 * 1024;

    /** Reports the end of this stream to {@code o}, timed from {@code openedNanos}; before the first write. */
    EncryptingOutputStream observedBy(OperationObserver o, long openedNanos) {
        this.observer = Objects.requireNonNull(o, "observer");
        this.openedAt = openedNanos;
        return this;
    }

    private void report(Throwable failure) {
        if (!reported) {
            reported = true;
            observer.cipherOperation("blob", BlobCipher.ENCRYPT_STREAM, System.nanoTime() - openedAt, failure);
        }
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
        if (buffered == size) {
            flushSegment(segment, 0, size, false);
            buffered = 0;
        }
        room(1);
        segment[buffered++] = (byte) b;
        dirty = Math.max(dirty, buffered);
        plaintextBytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
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
            room(len);
            int n = Math.min(len, segment.length - buffered);
            System.arraycopy(b, off, segment, buffered, n);
            buffered += n;
            dirty = Math.max(dirty, buffered);
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
        if (buffered == 0 && dirty == 0 && segment.length < size) {
            int hint = in.available();
            if (hint > segment.length) {
                byte[] clean = segment; // nothing written yet: no plaintext to wipe
                segment = BufferPool.take(pooled, (int) Math.min(size, hint + 1L), size);
                BufferPool.give(pooled, clean);
            }
        }
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
            room(in.available()); // an array or a file says how much is left: the buffer is sized once
            int n = in.read(segment, buffered, segment.length - buffered);
            if (n < 0) {
                break;
            }
            buffered += n;
            dirty = Math.max(dirty, buffered);
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
            report(null);
        } catch (IOException | RuntimeException e) {
            failed = true; // the last segment or the flush failed: the ciphertext is incomplete
            report(e);
            throw e;
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
                throw new IllegalStateException("a BLOB has at most 2^32 segments (" + size + " bytes each);"
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
            report(e);
            throw e;
        }
    }

    /**
     * Grows the buffer when it is full but the segment is not: to hold {@code want} more bytes if that is more than
     * doubling, never beyond the segment size (one copy for a BLOB whose size is known up front, not one per doubling).
     */
    private void room(long want) {
        if (buffered == segment.length && segment.length < size) {
            long next = Math.max(2L * segment.length, buffered + Math.max(1, want));
            byte[] bigger = BufferPool.take(pooled, (int) Math.min(size, next), size);
            System.arraycopy(segment, 0, bigger, 0, buffered);
            Arrays.fill(segment, 0, dirty, (byte) 0); // the old buffer held plaintext
            BufferPool.give(pooled, segment);
            segment = bigger;
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

    /**
     * Wipes the key and the plaintext, and gives a pooled buffer back to the thread's {@link BufferPool}. Idempotent:
     * the buffer is then empty, and an empty array is never pooled.
     */
    private void wipe() {
        cipher.destroy();
        Arrays.fill(segment, 0, dirty, (byte) 0);
        BufferPool.give(pooled, segment);
        segment = BufferPool.EMPTY; // never touched again: ensureOpen refuses every write from now on
        dirty = 0;
        buffered = 0;
    }

    /** The plaintext buffer (tests check its size and that a wipe zeroed it); empty once the stream ended. */
    byte[] bufferForTest() {
        return segment;
    }

    /** Bytes held in this stream's buffers now: the plaintext buffer and the cipher's output (tests). */
    long bufferedCapacity() {
        return (long) segment.length + cipher.outputCapacity();
    }

    @Override
    public String toString() {
        return "EncryptingOutputStream[cdk=" + cdkId + ", segment=" + index + "]";
    }
}
