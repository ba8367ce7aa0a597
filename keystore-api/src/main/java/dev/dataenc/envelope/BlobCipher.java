package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Streaming, segmented authenticated encryption of BLOBs of any size under the customer data
 * keys of a {@link DataKeySource}.
 *
 * <p>Each BLOB gets its own AES-256 key, derived with HKDF-SHA256 from the CDK, a random salt,
 * the header and the caller's context; the plaintext is cut into segments (default
 * {@value BlobFormat#DEFAULT_SEGMENT_SIZE} bytes) that are each sealed with AES-GCM under a
 * nonce holding the segment index and a last-segment flag. Memory per stream is about two
 * segments whatever the BLOB size (readers cap the segment size they accept, default
 * {@value #DEFAULT_MAX_READ_SEGMENT_SIZE} bytes), and a ciphertext that was modified, truncated, extended,
 * or had segments dropped, duplicated or reordered fails to decrypt. Decryption releases
 * plaintext only one verified segment at a time. Byte layout: {@code docs/FORMAT.md}.
 *
 * <p>Encryption uses the ACTIVE CDK; decryption reads the CDK id from the header and asks the
 * source for exactly that key (no trial decryption). Thread-safe; the streams it returns are not.
 *
 * <pre>{@code
 * BlobCipher blobs = new BlobCipher(keySource);
 * try (OutputStream enc = blobs.encryptingStream(Files.newOutputStream(file), "Invoice.pdf")) {
 *     pdf.transferTo(enc);
 * }
 * try (InputStream dec = blobs.decryptingStream(Files.newInputStream(file), "Invoice.pdf")) {
 *     dec.transferTo(response);
 * }
 * }</pre>
 */
public final class BlobCipher {

    /**
     * The operation name a stream from {@link #encryptingStream} is reported under (cipher {@code blob}), once, when it
     * ends: success when {@code finish}/{@code close} wrote the last segment, failure with the first exception that made
     * the ciphertext incomplete (or that prevented opening it). Timed from opening to that moment, so the time includes
     * the caller's own writing.
     */
    public static final String ENCRYPT_STREAM = "encrypt-stream";
    /**
     * The operation name a stream from {@link #decryptingStream} is reported under (cipher {@code blob}), once: success
     * when its last segment verified (the whole BLOB is authentic), failure with the first exception a read threw.
     * Timed from opening to that moment.
     */
    public static final String DECRYPT_STREAM = "decrypt-stream";
    /**
     * The operation name of a stream from {@link #decryptingStream} closed before its last segment was read and without
     * a failure (the caller stopped reading, e.g. a client that went away): reported as a success of this name, since
     * nothing failed, but the BLOB as a whole was not verified.
     */
    public static final String DECRYPT_STREAM_CLOSED_EARLY = "decrypt-stream-closed-early";

    /**
     * Default cap on the segment size a reader accepts from a BLOB header: 1 MiB (or the writer's own
     * segment size, if larger). A header is not authenticated until the first segment verifies, so a
     * reader must not trust its size claim further than this.
     */
    public static final int DEFAULT_MAX_READ_SEGMENT_SIZE = 1024 * 1024;

    private final DataKeySource keys;
    private final int segmentSize;
    private final int maxReadSegmentSize;
    private final OperationObserver observer;

    /**
     * A BLOB cipher with the default segment size of 64 KiB: small enough to keep memory per
     * stream tiny and each segment one fast GCM call, large enough that per-segment costs
     * (re-initialising the cipher, the 16-byte tag) are negligible; 4 KiB segments measured
     * 4-5x slower.
     */
    public BlobCipher(DataKeySource keys) {
        this(keys, BlobFormat.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * A BLOB cipher writing segments of {@code segmentSize} plaintext bytes (decryption always
     * uses the size recorded in each BLOB's header).
     *
     * @throws IllegalArgumentException if {@code segmentSize} is not from 4 KiB to 16 MiB
     */
    public BlobCipher(DataKeySource keys, int segmentSize) {
        this(keys, segmentSize, Math.max(DEFAULT_MAX_READ_SEGMENT_SIZE, segmentSize));
    }

    /**
     * A BLOB cipher with the default segment size that reports each whole-BLOB {@link #encrypt(InputStream,
     * OutputStream, String) encrypt} and {@link #decrypt(InputStream, OutputStream, String) decrypt} to
     * {@code observer}, and each stream opened with {@link #encryptingStream} or {@link #decryptingStream} once when it
     * ends ({@link #ENCRYPT_STREAM}, {@link #DECRYPT_STREAM}, {@link #DECRYPT_STREAM_CLOSED_EARLY}).
     */
    public BlobCipher(DataKeySource keys, OperationObserver observer) {
        this(keys, BlobFormat.DEFAULT_SEGMENT_SIZE, DEFAULT_MAX_READ_SEGMENT_SIZE, observer);
    }

    private BlobCipher(DataKeySource keys, int segmentSize, int maxReadSegmentSize) {
        this(keys, segmentSize, maxReadSegmentSize, OperationObserver.NONE);
    }

    private BlobCipher(DataKeySource keys, int segmentSize, int maxReadSegmentSize, OperationObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.segmentSize = BlobFormat.checkSegmentSize(segmentSize);
        this.maxReadSegmentSize = BlobFormat.checkSegmentSize(maxReadSegmentSize);
    }

    /**
     * This cipher, but reading only BLOBs whose header declares segments of at most {@code max} bytes;
     * larger ones fail with {@link dev.dataenc.error.CiphertextLimitExceededException} before anything is
     * allocated or any key fetched. A reader holds about 2 x the segment size (see {@code docs/FORMAT.md}),
     * so this bounds the memory a hostile header can make it use.
     *
     * @throws IllegalArgumentException if {@code max} is not from 4 KiB to 16 MiB
     */
    public BlobCipher withMaxReadSegmentSize(int max) {
        return new BlobCipher(keys, segmentSize, max, observer);
    }

    /** The plaintext segment size this cipher encrypts with. */
    public int segmentSize() {
        return segmentSize;
    }

    /** The largest segment size this cipher's readers accept from a BLOB header. */
    public int maxReadSegmentSize() {
        return maxReadSegmentSize;
    }

    /**
     * A stream that encrypts what is written to it onto {@code ciphertextOut}, under the ACTIVE
     * CDK. {@link EncryptingOutputStream#close()} writes the last segment and closes
     * {@code ciphertextOut}; {@link EncryptingOutputStream#finish()} writes it and leaves
     * {@code ciphertextOut} open. Nothing is written before the first segment (or the finish).
     *
     * @param context bound to the ciphertext; decryption must give the same string
     * @throws dev.dataenc.error.NoActiveCdkException     if there is no ACTIVE CDK
     * @throws dev.dataenc.error.CdkUnavailableException  if its key cannot be had
     */
    public EncryptingOutputStream encryptingStream(OutputStream ciphertextOut, String context) {
        long opened = System.nanoTime();
        try {
            return encryptingStream(ciphertextOut, context, false).observedBy(observer, opened);
        } catch (RuntimeException e) {
            observer.cipherOperation("blob", ENCRYPT_STREAM, System.nanoTime() - opened, e);
            throw e;
        }
    }

    /** @param pooled whether the stream's buffers are {@link BufferPool} spares: only for a stream that never escapes */
    private EncryptingOutputStream encryptingStream(OutputStream ciphertextOut, String context, boolean pooled) {
        Objects.requireNonNull(ciphertextOut, "ciphertextOut");
        byte[] contextBytes = StrictUtf8.encode(Objects.requireNonNull(context, "context"), "BLOB context");
        BlobKey.Fetched cdk = BlobKey.fetchCdk(keys::activeKey, null);
        try {
            byte[] salt = new byte[BlobFormat.SALT_LENGTH];
            byte[] prefix = new byte[BlobFormat.NONCE_PREFIX_LENGTH];
            IvSource.fill(salt); // the DRBGs of property IVs: about 5 times cheaper than a NativePRNG call each
            IvSource.fill(prefix);
            BlobHeader header = new BlobHeader(cdk.cdkId(), segmentSize, salt, prefix);
            byte[] headerBytes = header.toBytes();
            BlobKey key = BlobKey.derive(cdk.keyBytes(), headerBytes, salt, contextBytes);
            return new EncryptingOutputStream(ciphertextOut, cdk.cdkId(), headerBytes,
                    new SegmentCipher(key, prefix, pooled), segmentSize, pooled);
        } finally {
            cdk.wipe();
        }
    }

    /**
     * A stream of the plaintext of the BLOB read from {@code ciphertextIn}. The header is read
     * on the first read; each segment's plaintext is released only after its tag verified.
     * Reads throw (unchecked, typed):
     * {@link dev.dataenc.error.MalformedCiphertextException} if the input is not a dataenc BLOB,
     * {@link dev.dataenc.error.CiphertextLimitExceededException} if its segment size is above
     * {@link #maxReadSegmentSize()},
     * {@link dev.dataenc.error.UnknownCdkException} / {@link dev.dataenc.error.CdkUnavailableException}
     * if its CDK cannot be had, {@link dev.dataenc.error.DecryptionFailedException} if the context
     * is wrong or the ciphertext was altered, truncated, reordered or extended. A failure of
     * {@code ciphertextIn} is an {@link IOException}. After a failure every read fails the same way.
     * Closing it closes {@code ciphertextIn}.
     *
     * @throws dev.dataenc.error.TextEncodingException if the context holds an unpaired surrogate
     */
    public InputStream decryptingStream(InputStream ciphertextIn, String context) {
        return new DecryptingInputStream(ciphertextIn, context, keys, maxReadSegmentSize, observer);
    }

    /**
     * Encrypts all of {@code plaintext} onto {@code ciphertext}. Closes neither stream (it
     * flushes {@code ciphertext}).
     *
     * @return the number of plaintext bytes encrypted
     */
    public long encrypt(InputStream plaintext, OutputStream ciphertext, String context) throws IOException {
        long start = System.nanoTime();
        try {
            long n = encryptUnobserved(plaintext, ciphertext, context);
            observer.cipherOperation("blob", "encrypt", System.nanoTime() - start, null);
            return n;
        } catch (IOException | RuntimeException e) {
            observer.cipherOperation("blob", "encrypt", System.nanoTime() - start, e);
            throw e;
        }
    }

    private long encryptUnobserved(InputStream plaintext, OutputStream ciphertext, String context) throws IOException {
        Objects.requireNonNull(plaintext, "plaintext");
        EncryptingOutputStream enc = encryptingStream(ciphertext, context, true); // never escapes: buffers pooled
        try {
            long n = enc.transferFrom(plaintext);
            enc.finish();
            return n;
        } finally {
            enc.abandon();
        }
    }

    /**
     * Decrypts the whole BLOB in {@code ciphertext} onto {@code plaintext}. Closes neither
     * stream. If it throws, the plaintext written so far belongs to verified segments only,
     * but the BLOB as a whole is not authentic: discard it.
     *
     * @return the number of plaintext bytes written
     */
    public long decrypt(InputStream ciphertext, OutputStream plaintext, String context) throws IOException {
        long start = System.nanoTime();
        try {
            long n = decryptUnobserved(ciphertext, plaintext, context);
            observer.cipherOperation("blob", "decrypt", System.nanoTime() - start, null);
            return n;
        } catch (IOException | RuntimeException e) {
            observer.cipherOperation("blob", "decrypt", System.nanoTime() - start, e);
            throw e;
        }
    }

    private long decryptUnobserved(InputStream ciphertext, OutputStream plaintext, String context) throws IOException {
        Objects.requireNonNull(plaintext, "plaintext");
        DecryptingInputStream dec = new DecryptingInputStream(ciphertext, context, keys, maxReadSegmentSize,
                true, BufferPool.copiesOrDrops(plaintext)); // never escapes: pooled buffers (see BufferPool)
        try {
            return dec.transferTo(plaintext);
        } finally {
            dec.release();
        }
    }

    /**
     * The CDK a BLOB is encrypted under, read from its first {@value BlobFormat#HEADER_LENGTH}
     * bytes (more may follow and are ignored). Needs no key.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if the bytes are not a v1 BLOB header
     */
    public static CdkId cdkIdOf(byte[] headerBytes) {
        Objects.requireNonNull(headerBytes, "headerBytes");
        return BlobFormat.parse(headerBytes).cdkId();
    }

    @Override
    public String toString() {
        return "BlobCipher[segmentSize=" + segmentSize + ", maxReadSegmentSize=" + maxReadSegmentSize + "]";
    }
}
