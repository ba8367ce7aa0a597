package dev.dataenc.envelope;

import dev.dataenc.error.CiphertextLimitExceededException;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decrypts a BLOB ciphertext read from an underlying stream. Plaintext is released one segment
 * at a time, only after that segment's tag has verified. The header is read, its segment size
 * checked against the reader's cap, and the CDK fetched, on the first read. A segment is known
 * to be the last by reading ahead: a full-length segment followed by more bytes is not the last,
 * anything else is.
 *
 * <p>Buffers grow with the bytes actually received, never from the (unauthenticated) header's
 * claim alone: the ciphertext buffer starts at {@value #INITIAL_BUFFER} bytes (or what the source's
 * {@code available()} says it holds, if more) and doubles (or jumps to that) up to one
 * segment plus tag plus one look-ahead byte; the plaintext buffer is allocated only when a caller
 * reads less than a whole segment at a time, at the size of the segment being read.
 *
 * <p>Once a failure was thrown, every later read throws the same kind again: a typed
 * {@link DataEncException} stays one, and a failure of the underlying stream stays an
 * {@link IOException}. Not thread-safe.
 */
final class DecryptingInputStream extends InputStream {

    /** First size of the ciphertext buffer. */
    static final int INITIAL_BUFFER = 8 * 1024;

    private final InputStream in;
    private final byte[] context;
    private final DataKeySource keys;
    private final int maxSegmentSize;

    private SegmentCipher cipher;
    private int segmentSize;
    // When pooled (BlobCipher.decrypt's own stream, which never escapes), the ciphertext buffer comes from the thread's
    // BufferPool and goes back to it when the stream ends (last byte read, close, release or failure). The plaintext
    // buffer is handed to the caller's sink, so it is a spare only when that sink is one of the JDK's that copy or drop
    // what they are given (plaintextPooled); it is zeroed as far as it held plaintext (ptDirty) in any case.
    // grows to one full segment (ciphertext || tag) plus one look-ahead byte
    private byte[] ciphertext = BufferPool.EMPTY;
    private int ctHave;
    private int segLen = -1; // ciphertext length of the segment read but not yet decrypted, or -1
    private boolean segLast;
    private byte[] plaintext = BufferPool.EMPTY;
    private int ptDirty;
    private int ptPos;
    private int ptLen;
    private long index;
    private boolean lastDone;
    private boolean closed;
    private Exception failure;

    private final boolean pooled;
    private final boolean plaintextPooled;

    /** Told once how the stream ended (see {@link BlobCipher#decryptingStream}); NONE for BlobCipher's own streams. */
    private final OperationObserver observer;
    private final long openedAt;
    private boolean reported;

    DecryptingInputStream(InputStream in, String context, DataKeySource keys, int maxSegmentSize) {
        this(in, context, keys, maxSegmentSize, OperationObserver.NONE);
    }

    DecryptingInputStream(InputStream in, String context, DataKeySource keys, int maxSegmentSize,
                          OperationObserver observer) {
        this(in, context, keys, maxSegmentSize, false, false, observer);
    }

    /**
     * @param pooled          whether the ciphertext buffer is a {@link BufferPool} spare (a stream that never escapes)
     * @param plaintextPooled whether the plaintext buffer is one too: only if, besides, the plaintext goes to a sink
     *                        that keeps no reference to the arrays it is given ({@link BufferPool#copiesOrDrops})
     */
    DecryptingInputStream(InputStream in, String context, DataKeySource keys, int maxSegmentSize, boolean pooled,
                          boolean plaintextPooled) {
        this(in, context, keys, maxSegmentSize, pooled, plaintextPooled, OperationObserver.NONE);
    }

    private DecryptingInputStream(InputStream in, String context, DataKeySource keys, int maxSegmentSize,
                                  boolean pooled, boolean plaintextPooled, OperationObserver observer) {
        this.observer = observer;
        this.openedAt = observer == OperationObserver.NONE ? 0 : System.nanoTime();
        this.in = Objects.requireNonNull(in, "ciphertextIn");
        this.context = StrictUtf8.encode(Objects.requireNonNull(context, "context"), "BLOB context");
        this.keys = keys;
        this.maxSegmentSize = maxSegmentSize;
        this.pooled = pooled;
        this.plaintextPooled = pooled && plaintextPooled;
    }

    @Override
    public int read() throws IOException {
        while (ptPos == ptLen) {
            if (!hasMore()) {
                return -1;
            }
            decryptIntoBuffer();
        }
        return plaintext[ptPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            ensureUsable();
            return 0;
        }
        while (ptPos == ptLen) {
            if (!hasMore()) {
                return -1;
            }
            int plainLen = readSegment();
            if (len >= plainLen) {
                // room for the whole segment: decrypt straight into the caller's array (zeroed again on failure)
                int n = decryptSegment(b, off);
                if (n > 0) {
                    return n;
                }
                continue;
            }
            decryptIntoBuffer();
        }
        int n = Math.min(len, ptLen - ptPos);
        System.arraycopy(plaintext, ptPos, b, off, n);
        ptPos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureUsable();
        return ptLen - ptPos;
    }

    /** Writes the remaining plaintext to {@code out} from the segment buffer. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        long total = 0;
        while (true) {
            if (ptPos < ptLen) {
                int n = ptLen - ptPos;
                out.write(plaintext, ptPos, n);
                ptPos = ptLen;
                total += n;
            }
            if (!hasMore()) {
                return total;
            }
            decryptIntoBuffer();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        wipe();
        report(BlobCipher.DECRYPT_STREAM_CLOSED_EARLY, null);
        in.close();
    }

    /** Wipes key and buffers without closing the underlying stream; further reads fail. */
    void release() {
        closed = true;
        wipe();
        report(BlobCipher.DECRYPT_STREAM_CLOSED_EARLY, null);
    }

    /** Tells the observer, once, how the stream ended (a later call, e.g. the close after the end, does nothing). */
    private void report(String operation, Exception failure) {
        if (!reported) {
            reported = true;
            observer.cipherOperation("blob", operation, System.nanoTime() - openedAt, failure);
        }
    }

    /** Bytes held in this stream's buffers now (for tests of the allocation policy). */
    long bufferedCapacity() {
        return (long) ciphertext.length + plaintext.length;
    }

    /** True if another segment follows; reads the header and fetches the key on the first call. */
    private boolean hasMore() throws IOException {
        ensureUsable();
        if (lastDone) {
            recycle(); // everything was read: the buffers go back to the pool
            return false;
        }
        if (cipher == null) {
            guarded(() -> {
                start();
                return 0;
            });
        }
        return true;
    }

    /** Reads the next segment and decrypts it into the plaintext buffer. */
    private void decryptIntoBuffer() throws IOException {
        int plainLen = readSegment();
        if (plaintext.length < plainLen) {
            Arrays.fill(plaintext, 0, ptDirty, (byte) 0);
            BufferPool.give(plaintextPooled, plaintext);
            plaintext = BufferPool.EMPTY;
            ptDirty = 0;
            plaintext = BufferPool.take(plaintextPooled, plainLen, Integer.MAX_VALUE);
        }
        ptDirty = Math.max(ptDirty, plainLen); // a failed segment is zeroed by the cipher, a good one here later
        ptLen = decryptSegment(plaintext, 0);
        ptPos = 0;
    }

    /**
     * Reads the next segment's ciphertext (unless already read) and returns its plaintext length.
     * Only after {@link #hasMore()} returned true.
     */
    private int readSegment() throws IOException {
        if (segLen >= 0) {
            return segLen - BlobFormat.TAG_LENGTH;
        }
        return guarded(() -> {
            int full = segmentSize + BlobFormat.TAG_LENGTH;
            while (ctHave <= full) {
                if (ctHave == ciphertext.length) {
                    // double, or jump to what the source says it holds now (an array, a file: the whole rest), so a
                    // one-segment BLOB is read into one buffer instead of four; never beyond one segment
                    long next = Math.max(Math.max(INITIAL_BUFFER, 2L * ciphertext.length), ctHave + 1L + in.available());
                    byte[] bigger = BufferPool.take(pooled, (int) Math.min(full + 1L, next), Integer.MAX_VALUE);
                    System.arraycopy(ciphertext, 0, bigger, 0, ctHave);
                    BufferPool.give(pooled, ciphertext); // ciphertext only
                    ciphertext = bigger;
                }
                int n = in.read(ciphertext, ctHave, Math.min(full + 1, ciphertext.length) - ctHave);
                if (n < 0) {
                    break;
                }
                ctHave += n;
            }
            boolean last = ctHave <= full;
            int len = last ? ctHave : full;
            if (len < BlobFormat.TAG_LENGTH) {
                throw new DecryptionFailedException("BLOB ciphertext is truncated: segment " + index + " has " + len
                        + " bytes, less than its 16-byte tag" + (index == 0 ? "" : "; the data was cut off after segment " + (index - 1)));
            }
            if (index > BlobFormat.MAX_SEGMENT_INDEX) {
                throw new DecryptionFailedException("BLOB ciphertext has more than 2^32 segments; it was extended or is damaged");
            }
            segLen = len;
            segLast = last;
            return len - BlobFormat.TAG_LENGTH;
        });
    }

    /** Verifies and decrypts the segment {@link #readSegment()} read into {@code dest} and returns its length. */
    private int decryptSegment(byte[] dest, int destOff) throws IOException {
        return guarded(() -> {
            int full = segmentSize + BlobFormat.TAG_LENGTH;
            int n = cipher.decrypt(index, segLast, ciphertext, 0, segLen, dest, destOff);
            if (segLast) {
                ctHave = 0;
                lastDone = true;
                wipeKey();
                report(BlobCipher.DECRYPT_STREAM, null); // the whole BLOB verified
            } else {
                ciphertext[0] = ciphertext[full];
                ctHave = 1;
            }
            segLen = -1;
            index++;
            return n;
        });
    }

    private void start() throws IOException {
        byte[] headerBytes = new byte[BlobFormat.HEADER_LENGTH];
        int got = in.readNBytes(headerBytes, 0, headerBytes.length);
        if (got < BlobFormat.HEADER_LENGTH) {
            throw new MalformedCiphertextException("not a dataenc BLOB: the stream ended after " + got
                    + " bytes, before the end of the " + BlobFormat.HEADER_LENGTH + "-byte header;"
                    + " the data is truncated or not encrypted by dataenc");
        }
        BlobHeader header = BlobFormat.parse(headerBytes);
        if (header.segmentSize() > maxSegmentSize) {
            throw new CiphertextLimitExceededException("BLOB header declares segments of " + header.segmentSize()
                    + " bytes, above this reader's cap of " + maxSegmentSize + " bytes; refused before allocating"
                    + " anything. If the BLOB comes from a trusted writer configured with large segments, raise the cap"
                    + " (BlobCipher.withMaxReadSegmentSize); otherwise the header is damaged or hostile.");
        }
        BlobKey.Fetched cdk = BlobKey.fetchCdk(() -> keys.key(header.cdkId()), header.cdkId());
        BlobKey key;
        try {
            key = BlobKey.derive(cdk.keyBytes(), headerBytes, header.salt(), context);
        } finally {
            cdk.wipe();
        }
        segmentSize = header.segmentSize();
        cipher = new SegmentCipher(key, header.noncePrefix()); // decryption has no output buffer to pool
    }

    /** Runs a step; a failure is remembered (buffers and key wiped) and thrown again by every later read. */
    private int guarded(Step step) throws IOException {
        try {
            return step.run();
        } catch (DataEncException | IllegalStateException | IOException e) {
            fail(e);
            throw e;
        }
    }

    private void ensureUsable() throws IOException {
        if (closed) {
            throw new IOException("BLOB decrypting stream is closed");
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure != null) {
            throw new IOException("reading the BLOB ciphertext failed earlier (" + failure.getClass().getSimpleName()
                    + ": " + failure.getMessage() + "); open a new stream to retry", failure);
        }
    }

    private void fail(Exception e) {
        failure = e;
        wipe();
        report(BlobCipher.DECRYPT_STREAM, e);
    }

    private void wipe() {
        wipeKey();
        recycle();
    }

    /** Zeroes the plaintext buffer as far as it held plaintext and gives pooled buffers back. Idempotent. */
    private void recycle() {
        Arrays.fill(plaintext, 0, ptDirty, (byte) 0);
        BufferPool.give(plaintextPooled, plaintext);
        BufferPool.give(pooled, ciphertext);
        plaintext = BufferPool.EMPTY; // never touched again: the stream is closed, failed or at its end
        ciphertext = BufferPool.EMPTY;
        ptDirty = 0;
        ctHave = 0;
        ptPos = 0;
        ptLen = 0;
    }

    private void wipeKey() {
        if (cipher != null) {
            cipher.destroy();
        }
    }

    @FunctionalInterface
    private interface Step {
        int run() throws IOException;
    }

    @Override
    public String toString() {
        return "DecryptingInputStream[segment=" + index + (failure != null ? ", failed" : "") + "]";
    }
}
