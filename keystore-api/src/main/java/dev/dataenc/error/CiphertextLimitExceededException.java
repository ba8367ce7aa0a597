package dev.dataenc.error;

/**
 * A ciphertext asks for more resources than the reader allows, for example a BLOB header whose
 * segment size is above the reader's configured cap. Refused before any buffer is allocated or
 * any key is fetched; nothing was decrypted. Raise the limit only for ciphertexts you trust to
 * come from a writer configured that way.
 */
public class CiphertextLimitExceededException extends DataEncException {

    public CiphertextLimitExceededException(String message) {
        super(message);
    }
}
