package dev.dataenc.envelope;

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
 * at a time, only after that segment's tag has verified. The header is read, and the CDK
 * fetched, on the first read. A segment is known to be the last by reading ahead: a
 * full-length segment followed by more bytes is not the last, anything else is.
 *
 * <p>Once a failure was thrown, every later read throws it again. Not thread-safe.
 */
final class DecryptingInputStream extends InputStream {

    private final InputStream in;
    private final byte[] context;
    private final DataKeySource keys;

    private SegmentCipher cipher;
    private int segmentSize;
    private byte[] ciphertext; // one full segment (ciphertext || tag) plus one byte of look-ahead
    private int ctHave;
    private byte[] plaintext;
    private int ptPos;
    private int ptLen;
    private long index;
    private boolean lastDone;
    private boolean closed;
    private RuntimeException failure;

    DecryptingInputStream(InputStream in, String context, DataKeySource keys) {
        this.in = Objects.requireNonNull(in, "ciphertextIn");
        this.context = StrictUtf8.encode(Objects.requireNonNull(context, "context"), "BLOB context");
        this.keys = keys;
    }

    @Override
    public int read() throws IOException {
        while (ptPos == ptLen) {
            if (!hasMore()) {
                return -1;
            }
            ptLen = decryptNext(plaintext, 0);
            ptPos = 0;
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
            if (len >= segmentSize) {
                // room for a whole segment: decrypt straight into the caller's array (zeroed again on failure)
                int n = decryptNext(b, off);
                if (n > 0) {
                    return n;
                }
                continue;
            }
            ptLen = decryptNext(plaintext, 0);
            ptPos = 0;
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

    /** Writes the remaining plaintext to {@code out} straight from the segment buffer. */
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
            ptLen = decryptNext(plaintext, 0);
            ptPos = 0;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        wipe();
        in.close();
    }

    /** Wipes key and buffers without closing the underlying stream; further reads fail. */
    void release() {
        closed = true;
        wipe();
    }

    /** True if another segment follows; reads the header and fetches the key on the first call. */
    private boolean hasMore() throws IOException {
        ensureUsable();
        if (lastDone) {
            return false;
        }
        if (cipher == null) {
            try {
                start();
            } catch (DataEncException | IllegalStateException e) {
                fail(e);
                throw e;
            } catch (IOException e) {
                fail(new IllegalStateException("reading the BLOB ciphertext failed", e));
                throw e;
            }
        }
        return true;
    }

    /**
     * Reads, verifies and decrypts the next segment into {@code dest} (room for a whole segment
     * needed) and returns its plaintext length. Only after {@link #hasMore()} returned true.
     */
    private int decryptNext(byte[] dest, int destOff) throws IOException {
        try {
            int full = segmentSize + BlobFormat.TAG_LENGTH;
            while (ctHave <= full) {
                int n = in.read(ciphertext, ctHave, full + 1 - ctHave);
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
            int n = cipher.decrypt(index, last, ciphertext, 0, len, dest, destOff);
            if (last) {
                ctHave = 0;
                lastDone = true;
                wipeKey();
            } else {
                ciphertext[0] = ciphertext[full];
                ctHave = 1;
            }
            index++;
            return n;
        } catch (DataEncException | IllegalStateException e) {
            fail(e);
            throw e;
        } catch (IOException e) {
            fail(new IllegalStateException("reading the BLOB ciphertext failed", e));
            throw e;
        }
    }

    private void start() throws IOException {
        byte[] headerBytes = in.readNBytes(BlobFormat.HEADER_LENGTH);
        if (headerBytes.length < BlobFormat.HEADER_LENGTH) {
            throw new MalformedCiphertextException("not a dataenc BLOB: the stream ended after " + headerBytes.length
                    + " bytes, before the end of the " + BlobFormat.HEADER_LENGTH + "-byte header;"
                    + " the data is truncated or not encrypted by dataenc");
        }
        BlobHeader header = BlobFormat.parse(headerBytes);
        BlobKey.Fetched cdk = BlobKey.fetchCdk(() -> keys.key(header.cdkId()), header.cdkId());
        BlobKey key;
        try {
            key = BlobKey.derive(cdk.keyBytes(), headerBytes, header.salt(), context);
        } finally {
            cdk.wipe();
        }
        segmentSize = header.segmentSize();
        ciphertext = new byte[segmentSize + BlobFormat.TAG_LENGTH + 1];
        plaintext = new byte[segmentSize];
        cipher = new SegmentCipher(key, header.noncePrefix());
    }

    private void ensureUsable() throws IOException {
        if (closed) {
            throw new IOException("BLOB decrypting stream is closed");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void fail(RuntimeException e) {
        failure = e;
        wipe();
    }

    private void wipe() {
        wipeKey();
        if (plaintext != null) {
            Arrays.fill(plaintext, (byte) 0);
        }
        ptPos = 0;
        ptLen = 0;
    }

    private void wipeKey() {
        if (cipher != null) {
            cipher.destroy();
        }
    }

    @Override
    public String toString() {
        return "DecryptingInputStream[segment=" + index + (failure != null ? ", failed" : "") + "]";
    }
}
