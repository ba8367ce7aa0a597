package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.MalformedCiphertextException;

import java.util.Base64;

/**
 * Layout of a property ciphertext, format version 1 (see {@code docs/FORMAT.md}).
 *
 * <pre>
 * offset len  field
 *  0      1   magic 0xDE
 *  1      1   format version 0x01
 *  2      1   suite id 0x01 (AES-256-GCM, 96-bit random IV, 128-bit tag, key = the CDK)
 *  3     16   CDK id (UUID, big-endian most- then least-significant half)
 * 19     12   IV
 * 31      n   AES-GCM ciphertext of the n plaintext bytes
 * 31+n   16   tag
 * </pre>
 * Header = bytes 0..18; AAD = header followed by the UTF-8 bytes of the context. The text form
 * is {@value #TEXT_PREFIX} followed by the unpadded base64url encoding of the binary form.
 */
final class PropertyFormat {

    static final byte MAGIC = (byte) 0xDE;
    static final byte VERSION_1 = 0x01;
    static final byte SUITE_AES256_GCM = 0x01;
    static final int CDK_ID_OFFSET = 3;
    static final int HEADER_LENGTH = CDK_ID_OFFSET + CdkId.LENGTH; // 19
    static final int IV_OFFSET = HEADER_LENGTH;
    static final int PAYLOAD_OFFSET = IV_OFFSET + AesGcm.IV_LENGTH; // 31
    static final int OVERHEAD = PAYLOAD_OFFSET + AesGcm.TAG_LENGTH; // 47
    static final String TEXT_PREFIX = "dataenc:v1:";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PropertyFormat() {
    }

    /** Writes magic, version, suite and CDK id at offset 0. */
    static void writeHeader(byte[] out, CdkId id) {
        out[0] = MAGIC;
        out[1] = VERSION_1;
        out[2] = SUITE_AES256_GCM;
        id.write(out, CDK_ID_OFFSET);
    }

    /**
     * Validates the header and minimum length and returns the CDK id.
     *
     * @throws MalformedCiphertextException saying what is wrong and what was expected
     */
    static CdkId readHeader(byte[] ct) {
        int n = ct.length;
        if (n == 0) {
            throw new MalformedCiphertextException("not a dataenc ciphertext: it is empty, expected at least "
                    + OVERHEAD + " bytes; was this value ever encrypted?");
        }
        if (ct[0] != MAGIC) {
            throw new MalformedCiphertextException(String.format("not a dataenc ciphertext: first byte is 0x%02X, "
                    + "expected 0xDE; was this value ever encrypted?", ct[0] & 0xFF));
        }
        if (n > 1 && ct[1] != VERSION_1) {
            throw new MalformedCiphertextException(String.format("unsupported dataenc property format version 0x%02X;"
                    + " this library reads version 0x01. Was it written by a newer dataenc, or is it corrupted?",
                    ct[1] & 0xFF));
        }
        if (n > 2 && ct[2] != SUITE_AES256_GCM) {
            throw new MalformedCiphertextException(String.format("unknown algorithm suite 0x%02X in a dataenc property"
                    + " ciphertext; format version 1 defines only 0x01 (AES-256-GCM). Was it written by a newer"
                    + " dataenc, or is it corrupted?", ct[2] & 0xFF));
        }
        if (n < OVERHEAD) {
            throw new MalformedCiphertextException("dataenc property ciphertext is too short: " + n + " bytes, expected"
                    + " at least " + OVERHEAD + " (" + HEADER_LENGTH + " header + " + AesGcm.IV_LENGTH + " IV + "
                    + AesGcm.TAG_LENGTH + " tag); it was probably truncated, for example by a too-narrow column");
        }
        return CdkId.read(ct, CDK_ID_OFFSET);
    }

    /** The text form of a binary ciphertext. */
    static String encodeText(byte[] ct) {
        return encodeText(TEXT_PREFIX, ct);
    }

    /** The text form of a binary ciphertext under another text prefix (the deterministic suite's). */
    static String encodeText(String prefix, byte[] ct) {
        return prefix + ENCODER.encodeToString(ct);
    }

    /**
     * The binary form of a text ciphertext. Strict: the prefix must match, the rest must be
     * canonical unpadded base64url. Never echoes the value (it could be plaintext).
     *
     * @throws MalformedCiphertextException saying what is wrong and what was expected
     */
    static byte[] decodeText(String text) {
        return decodeText(TEXT_PREFIX, text);
    }

    /**
     * As {@link #decodeText(String)} for a text form with the given prefix.
     *
     * @throws MalformedCiphertextException saying what is wrong and what was expected
     */
    static byte[] decodeText(String prefix, String text) {
        if (!text.startsWith(prefix)) {
            String other = prefix.equals(TEXT_PREFIX) ? DeterministicFormat.TEXT_PREFIX : TEXT_PREFIX;
            if (text.startsWith(other)) {
                throw new MalformedCiphertextException("the value is a " + (other.equals(TEXT_PREFIX)
                        ? "randomised dataenc property ciphertext ('" + TEXT_PREFIX + "'); decrypt it with PropertyCipher"
                        : "deterministic (searchable) dataenc ciphertext ('" + other + "'); decrypt it with"
                        + " DeterministicCipher") + ", not as '" + prefix + "'");
            }
            if (text.startsWith("dataenc:")) {
                throw new MalformedCiphertextException("unsupported dataenc text form: the value starts with"
                        + " 'dataenc:' but not '" + prefix + "'; was it written by a newer dataenc version?");
            }
            throw new MalformedCiphertextException("not a dataenc text ciphertext: the value (" + text.length()
                    + " characters) does not start with '" + prefix + "'; was this value ever encrypted?");
        }
        int start = prefix.length();
        int len = text.length() - start;
        if (text.indexOf('=', start) >= 0) {
            throw malformedBase64(prefix, "it contains '=' padding, which the text form does not use", null);
        }
        if (len % 4 == 1) {
            throw malformedBase64(prefix, "its length " + len + " is not a possible base64 length" + CUT_OR_ALTERED, null);
        }
        if (len > 0) {
            int last = base64urlValue(text.charAt(text.length() - 1));
            int unusedBitsMask = len % 4 == 2 ? 0x0F : len % 4 == 3 ? 0x03 : 0;
            if (last >= 0 && (last & unusedBitsMask) != 0) {
                throw malformedBase64(prefix, "it is not canonical (the unused bits of the last character are not zero)"
                        + CUT_OR_ALTERED, null);
            }
        }
        try {
            return DECODER.decode(text.substring(start));
        } catch (IllegalArgumentException e) {
            throw malformedBase64(prefix, e.getMessage(), e);
        }
    }

    /** The likely cause of a base64 text with an impossible length or a non-canonical last character. */
    private static final String CUT_OR_ALTERED = ": the value was probably truncated (e.g. cut to fit a column too short"
            + " for it, see docs/COLUMN-SIZING.md) or altered after it was written";

    private static MalformedCiphertextException malformedBase64(String prefix, String why, Exception cause) {
        return new MalformedCiphertextException("dataenc text ciphertext is damaged: after '" + prefix
                + "' expected unpadded base64url (A-Z a-z 0-9 - _), but " + why, cause);
    }

    private static int base64urlValue(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
