package dev.dataenc.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A binary value of known length read as a stream, one chunk at a time through a {@link Chunks} reader (on
 * PostgreSQL one {@code SUBSTRING(col FROM ? FOR ?)} query per chunk), so that a large value is never whole in
 * memory: at most one chunk is held. A chunk that comes back with another length than asked for (the value
 * changed or vanished under the reader) is an {@link IOException}.
 */
final class ChunkedBinaryStream extends InputStream {

    /** Reads {@code count} bytes of the value starting at the 0-based {@code offset}. */
    @FunctionalInterface
    interface Chunks {
        byte[] read(long offset, int count) throws IOException;
    }

    private final Chunks chunks;
    private final long length;
    private final int chunk;
    private byte[] buffer;
    private int position;
    private long next;

    /**
     * @param first  the value's first bytes, already read (at most {@code chunk} of them; may be empty)
     * @param length the value's length in bytes
     * @param chunk  bytes per further read
     */
    ChunkedBinaryStream(byte[] first, long length, int chunk, Chunks chunks) {
        this.buffer = Objects.requireNonNull(first, "first");
        this.length = length;
        this.chunk = chunk;
        this.chunks = Objects.requireNonNull(chunks, "chunks");
        if (chunk < 1 || first.length > length) {
            throw new IllegalArgumentException("chunk " + chunk + ", first " + first.length + " of " + length);
        }
        this.next = first.length;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return buffer.length - position;
    }

    /** Whether bytes are buffered, fetching the next chunk if needed; false at the end of the value. */
    private boolean fill() throws IOException {
        if (position < buffer.length) {
            return true;
        }
        if (next >= length) {
            return false;
        }
        int count = (int) Math.min(chunk, length - next);
        byte[] b = chunks.read(next, count);
        if (b == null || b.length != count) {
            throw new IOException("the value changed while it was read: expected " + count + " bytes at offset " + next
                    + ", got " + (b == null ? "none" : b.length));
        }
        buffer = b;
        position = 0;
        next += count;
        return true;
    }
}
