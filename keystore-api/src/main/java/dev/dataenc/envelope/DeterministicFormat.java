package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.MalformedCiphertextException;

import java.nio.charset.StandardCharsets;

/**
 * Layout of a deterministic (searchable) property ciphertext, suite 3 of format version 1 (see
 * {@code docs/FORMAT.md}).
 *
 * <pre>
 * offset len  field
 *  0      1   magic 0xDE
 *  1      1   format version 0x01
 *  2      1   suite id 0x03 (AES-SIV-CMAC-512, RFC 5297, key derived from the CDK with HKDF-SHA256)
 *  3     16   CDK id
 * 19     16   synthetic IV (the S2V output, which is also the tag)
 * 35      n   AES-CTR ciphertext of the n plaintext bytes
 * </pre>
 * The single S2V associated-data string is the 19-byte header followed by the UTF-8 context. The text
 * form is {@value #TEXT_PREFIX} followed by unpadded base64url.
 */
final class DeterministicFormat {

    static final byte SUITE_AES_SIV = 0x03;
    static final int HEADER_LENGTH = PropertyFormat.HEADER_LENGTH; // 19
    static final int SIV_LENGTH = 16;
    static final int OVERHEAD = HEADER_LENGTH + SIV_LENGTH; // 35
    static final String TEXT_PREFIX = "dataenc:d1:";
    /** AES-SIV-CMAC with two AES-256 keys (RFC 5297 "AEAD_AES_SIV_CMAC_512"). */
    static final int SIV_KEY_LENGTH = 64;
    /** The HKDF label of the SIV key; no other derivation in dataenc uses it. */
    static final byte[] KEY_LABEL = "dataenc siv v1".getBytes(StandardCharsets.US_ASCII);

    private DeterministicFormat() {
    }

    static void writeHeader(byte[] out, CdkId id) {
        out[0] = PropertyFormat.MAGIC;
        out[1] = PropertyFormat.VERSION_1;
        out[2] = SUITE_AES_SIV;
        id.write(out, PropertyFormat.CDK_ID_OFFSET);
    }

    /**
     * Validates the header and minimum length and returns the CDK id.
     *
     * @throws MalformedCiphertextException saying what is wrong and what was expected
     */
    static CdkId readHeader(byte[] ct) {
        int n = ct.length;
        if (n == 0) {
            throw new MalformedCiphertextException("not a dataenc ciphertext: it is empty, expected at least " + OVERHEAD
                    + " bytes; was this value ever encrypted?");
        }
        if (ct[0] != PropertyFormat.MAGIC) {
            throw new MalformedCiphertextException(String.format("not a dataenc ciphertext: first byte is 0x%02X,"
                    + " expected 0xDE; was this value ever encrypted?", ct[0] & 0xFF));
        }
        if (n > 1 && ct[1] != PropertyFormat.VERSION_1) {
            throw new MalformedCiphertextException(String.format("unsupported dataenc property format version 0x%02X;"
                    + " this library reads version 0x01. Was it written by a newer dataenc, or is it corrupted?",
                    ct[1] & 0xFF));
        }
        if (n > 2 && ct[2] != SUITE_AES_SIV) {
            throw new MalformedCiphertextException(String.format("algorithm suite 0x%02X is not the deterministic suite"
                    + " 0x03 (AES-SIV)%s", ct[2] & 0xFF, ct[2] == PropertyFormat.SUITE_AES256_GCM
                    ? ": it is a randomised property ciphertext; decrypt it with PropertyCipher"
                    : "; was it written by a newer dataenc, or is it corrupted?"));
        }
        if (n < OVERHEAD) {
            throw new MalformedCiphertextException("dataenc deterministic ciphertext is too short: " + n + " bytes,"
                    + " expected at least " + OVERHEAD + " (" + HEADER_LENGTH + " header + " + SIV_LENGTH + " synthetic"
                    + " IV); it was probably truncated, for example by a too-narrow column");
        }
        return CdkId.read(ct, PropertyFormat.CDK_ID_OFFSET);
    }

    static String encodeText(byte[] ct) {
        return PropertyFormat.encodeText(TEXT_PREFIX, ct);
    }

    static byte[] decodeText(String text) {
        return PropertyFormat.decodeText(TEXT_PREFIX, text);
    }
}
