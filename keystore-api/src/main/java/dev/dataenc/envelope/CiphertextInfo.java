package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.MalformedCiphertextException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the header and length of a dataenc ciphertext say about it, read without any key: its kind
 * (property value, deterministic property value or BLOB), encoding, format version, algorithm suite, CDK id and, for a BLOB, the
 * segment size and the number of segments. Nothing is decrypted or authenticated, so a ciphertext
 * whose payload was altered still parses here; only {@link PropertyCipher} and {@link BlobCipher}
 * can tell that. Used by {@code dataenc inspect}. None of it is secret.
 *
 * @param kind            a property value or a BLOB
 * @param encoding        the text form ({@value PropertyFormat#TEXT_PREFIX}...) or binary
 * @param formatVersion   the format version byte (1)
 * @param suiteId         the algorithm suite byte (1: property AES-256-GCM; 2: BLOB segmented AES-256-GCM;
 *                        3: deterministic AES-SIV)
 * @param cdkId           the CDK it was made under
 * @param ciphertextBytes length of the binary form in bytes
 * @param plaintextBytes  length of the plaintext it holds (derived from the lengths)
 * @param segmentSize     plaintext bytes per segment, 0 for a property value
 * @param segmentCount    number of segments, 0 for a property value
 */
public record CiphertextInfo(Kind kind, Encoding encoding, int formatVersion, int suiteId, CdkId cdkId,
                             long ciphertextBytes, long plaintextBytes, int segmentSize, long segmentCount) {

    /** What a ciphertext holds. */
    public enum Kind {
        /** A property value ({@link PropertyCipher}). */
        PROPERTY,
        /** A streaming, segmented BLOB ({@link BlobCipher}). */
        BLOB,
        /** A deterministic (searchable) property value ({@link DeterministicCipher}). */
        DETERMINISTIC
    }

    /** How a ciphertext is written down. */
    public enum Encoding {
        /**
         * {@value PropertyFormat#TEXT_PREFIX} (or {@value DeterministicFormat#TEXT_PREFIX} for a deterministic
         * value) followed by unpadded base64url.
         */
        TEXT,
        /** The raw bytes. */
        BINARY
    }

    /**
     * How many leading bytes {@link #ofBinary(byte[], long)} needs: the longer of the two headers
     * ({@value BlobFormat#HEADER_LENGTH}).
     */
    public static final int PROBE_LENGTH = Math.max(BlobFormat.HEADER_LENGTH, PropertyFormat.OVERHEAD);

    private static final byte[] TEXT_MARK = "dataenc:".getBytes(StandardCharsets.US_ASCII);

    public CiphertextInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(cdkId, "cdkId");
    }

    /** Human name of the algorithm suite. */
    public String suiteName() {
        return switch (suiteId) {
            case PropertyFormat.SUITE_AES256_GCM -> "AES-256-GCM (96-bit random IV, 128-bit tag)";
            case BlobFormat.SUITE_AES256_GCM_HKDF_SEGMENTED -> "AES-256-GCM segmented, HKDF-SHA256 per-BLOB key";
            case DeterministicFormat.SUITE_AES_SIV -> "AES-SIV-CMAC-512 deterministic (searchable), HKDF-SHA256 key";
            default -> "unknown suite " + suiteId;
        };
    }

    /**
     * Reads a text-form ciphertext ({@value PropertyFormat#TEXT_PREFIX}...). Surrounding whitespace
     * (a trailing newline) is ignored. The value is never echoed in an error.
     *
     * @throws MalformedCiphertextException if it is not a readable dataenc text ciphertext
     */
    public static CiphertextInfo ofText(String text) {
        String stripped = Objects.requireNonNull(text, "text").strip();
        byte[] binary = stripped.startsWith(DeterministicFormat.TEXT_PREFIX)
                ? DeterministicFormat.decodeText(stripped) : PropertyFormat.decodeText(stripped);
        CiphertextInfo info = ofBinary(binary, binary.length);
        if (info.kind == Kind.BLOB) {
            // BLOBs are binary only; a BLOB under a text prefix would send callers (dataenc decrypt) down the BLOB path
            // without a stream to read it from
            throw new MalformedCiphertextException("dataenc text ciphertext holds a BLOB (suite " + info.suiteId
                    + "), which has no text form; give the BLOB as a binary file, not as '" + PropertyFormat.TEXT_PREFIX
                    + "' or '" + DeterministicFormat.TEXT_PREFIX + "' text");
        }
        if ((info.kind == Kind.DETERMINISTIC) != stripped.startsWith(DeterministicFormat.TEXT_PREFIX)) {
            throw new MalformedCiphertextException("dataenc text ciphertext does not match its prefix: it holds a "
                    + (info.kind == Kind.DETERMINISTIC ? "deterministic" : "randomised " + info.kind.name().toLowerCase())
                    + " ciphertext (suite " + info.suiteId + ") under the prefix of the other kind; it was altered");
        }
        return new CiphertextInfo(info.kind, Encoding.TEXT, info.formatVersion, info.suiteId, info.cdkId,
                info.ciphertextBytes, info.plaintextBytes, info.segmentSize, info.segmentCount);
    }

    /**
     * Reads a binary ciphertext (a property value or a BLOB) from its first bytes and its total
     * length, so a large BLOB need not be read.
     *
     * @param head   the first {@code min(length, }{@link #PROBE_LENGTH}{@code )} bytes (more are ignored)
     * @param length the length of the whole ciphertext in bytes
     * @throws MalformedCiphertextException if it is not a dataenc ciphertext, or is too short for its kind
     * @throws IllegalArgumentException     if {@code head} is shorter than required
     */
    public static CiphertextInfo ofBinary(byte[] head, long length) {
        Objects.requireNonNull(head, "head");
        if (length < 0 || head.length < Math.min(length, PROBE_LENGTH)) {
            throw new IllegalArgumentException("need the first " + Math.min(length, PROBE_LENGTH) + " of " + length
                    + " bytes, got " + head.length);
        }
        byte[] probe = head.length > length ? Arrays.copyOf(head, (int) length) : head;
        if (probe.length > 2 && probe[0] == BlobFormat.MAGIC && probe[2] == BlobFormat.SUITE_AES256_GCM_HKDF_SEGMENTED) {
            return blob(BlobFormat.parse(probe), length);
        }
        if (probe.length > 2 && probe[0] == PropertyFormat.MAGIC && probe[2] == DeterministicFormat.SUITE_AES_SIV) {
            CdkId id = DeterministicFormat.readHeader(probe);
            return new CiphertextInfo(Kind.DETERMINISTIC, Encoding.BINARY, PropertyFormat.VERSION_1,
                    DeterministicFormat.SUITE_AES_SIV, id, length, length - DeterministicFormat.OVERHEAD, 0, 0);
        }
        // every other input is judged as a property ciphertext: that parser names what is wrong
        // (empty, foreign first byte, unknown version or suite, too short); probe holds all of a
        // short input and at least the 47 bytes it checks of a longer one
        CdkId id = PropertyFormat.readHeader(probe);
        return new CiphertextInfo(Kind.PROPERTY, Encoding.BINARY, PropertyFormat.VERSION_1,
                PropertyFormat.SUITE_AES256_GCM, id, length, length - PropertyFormat.OVERHEAD, 0, 0);
    }

    /**
     * True if {@code head} starts like a text-form ciphertext ({@code dataenc:}), so the bytes
     * should be read as text with {@link #ofText(String)} rather than {@link #ofBinary}.
     */
    public static boolean looksLikeText(byte[] head) {
        return head.length >= TEXT_MARK.length && Arrays.equals(head, 0, TEXT_MARK.length, TEXT_MARK, 0, TEXT_MARK.length);
    }

    private static CiphertextInfo blob(BlobHeader header, long length) {
        long body = length - BlobFormat.HEADER_LENGTH;
        long segment = (long) header.segmentSize() + BlobFormat.TAG_LENGTH;
        long full = body / segment;
        long rest = body % segment;
        if ((rest > 0 && rest < BlobFormat.TAG_LENGTH) || body == 0) {
            throw new MalformedCiphertextException("dataenc BLOB of CDK " + header.cdkId() + " is truncated: " + length
                    + " bytes leave " + (rest == 0 ? body : rest) + " byte(s) for its last segment, which needs at least"
                    + " its " + BlobFormat.TAG_LENGTH + "-byte tag");
        }
        long segments = full + (rest > 0 ? 1 : 0);
        if (segments - 1 > BlobFormat.MAX_SEGMENT_INDEX) {
            throw new MalformedCiphertextException("dataenc BLOB of CDK " + header.cdkId() + " is too long: " + segments
                    + " segments, format v1 allows at most 2^32");
        }
        return new CiphertextInfo(Kind.BLOB, Encoding.BINARY, BlobFormat.VERSION,
                BlobFormat.SUITE_AES256_GCM_HKDF_SEGMENTED, header.cdkId(), length,
                body - segments * BlobFormat.TAG_LENGTH, header.segmentSize(), segments);
    }
}
