package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;

import java.util.Objects;

/**
 * A text-form ciphertext of either kind, decoded once: its binary form, whether it is deterministic, and the CDK named
 * in its header. A migration works on these, so that a value is base64-decoded once and its new ciphertext encoded
 * once, and its plaintext never becomes a {@code String}.
 *
 * @param binary        the binary ciphertext (owned by this value; never modified; compared by identity)
 * @param deterministic whether it is a deterministic ({@code dataenc:d1:}) ciphertext, else randomised ({@code dataenc:v1:})
 * @param cdk           the CDK in its header
 */
record TextCiphertext(byte[] binary, boolean deterministic, CdkId cdk) {

    TextCiphertext {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(cdk, "cdk");
    }

    /**
     * Decodes a text value of either kind (told apart by its prefix) and reads its header; nothing is decrypted.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a readable text-form ciphertext
     */
    static TextCiphertext decode(String value) {
        if (DeterministicCipher.isEncrypted(value)) {
            byte[] binary = DeterministicCipher.decodeText(value);
            return new TextCiphertext(binary, true, DeterministicCipher.cdkIdOf(binary));
        }
        byte[] binary = PropertyCipher.decodeText(value);
        return new TextCiphertext(binary, false, PropertyCipher.cdkIdOf(binary));
    }

    /** A binary ciphertext just made by either cipher. */
    static TextCiphertext of(byte[] binary, boolean deterministic) {
        return new TextCiphertext(binary, deterministic,
                deterministic ? DeterministicCipher.cdkIdOf(binary) : PropertyCipher.cdkIdOf(binary));
    }

    /** The text form (prefix of its kind + unpadded base64url). */
    String text() {
        return deterministic ? DeterministicCipher.encodeText(binary) : PropertyCipher.encodeText(binary);
    }

    @Override
    public String toString() {
        return "TextCiphertext[" + (deterministic ? "deterministic" : "randomised") + ", cdk=" + cdk + ", "
                + binary.length + " bytes]";
    }
}
