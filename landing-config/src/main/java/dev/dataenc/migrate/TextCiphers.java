package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;

import java.util.Objects;

/**
 * The two kinds of text-form value a migration meets, told apart by their prefix: randomised property ciphertexts
 * ({@code dataenc:v1:}, {@link PropertyCipher}) and deterministic, searchable ones ({@code dataenc:d1:},
 * {@link DeterministicCipher}). A value is re-encrypted in its own kind, so a deterministic column stays searchable
 * under the new CDK; plaintext is encrypted randomised.
 *
 * @param random        the randomised cipher
 * @param deterministic the deterministic cipher
 */
record TextCiphers(PropertyCipher random, DeterministicCipher deterministic) {

    TextCiphers {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(deterministic, "deterministic");
    }

    /** Whether the value has the prefix of either kind (not validated further). */
    static boolean isEncrypted(String value) {
        return PropertyCipher.isEncrypted(value) || DeterministicCipher.isEncrypted(value);
    }

    /**
     * The CDK named in the header of either kind.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if it cannot be read
     */
    static CdkId cdkIdOf(String value) {
        return DeterministicCipher.isEncrypted(value) ? DeterministicCipher.cdkIdOf(value) : PropertyCipher.cdkIdOf(value);
    }

    /** Decrypts a value of either kind. */
    String decrypt(String value, String context) {
        return DeterministicCipher.isEncrypted(value) ? deterministic.decryptString(value, context)
                : random.decryptString(value, context);
    }

    /**
     * Decrypts a decoded value of either kind to its plaintext bytes, which the caller owns (and zeroes).
     *
     * @throws dev.dataenc.error.DecryptionFailedException if it does not authenticate under {@code context}
     */
    byte[] decrypt(TextCiphertext value, String context) {
        return value.deterministic() ? deterministic.decrypt(value.binary(), context)
                : random.decrypt(value.binary(), context);
    }

    /** Encrypts plaintext bytes under the ACTIVE CDK, deterministically or randomised. */
    TextCiphertext encrypt(byte[] plain, String context, boolean deterministic) {
        return TextCiphertext.of(deterministic ? this.deterministic.encrypt(plain, context)
                : random.encrypt(plain, context), deterministic);
    }

    /** Encrypts a plaintext value under the ACTIVE CDK, randomised. */
    String encryptPlaintext(String plain, String context) {
        return random.encryptString(plain, context);
    }
}
