package dev.dataenc.error;

/**
 * Authentication failed: the ciphertext was modified, truncated or extended, was made under
 * a different context (for example copied from another column), or the key does not match.
 * No plaintext is released when this is thrown.
 */
public class DecryptionFailedException extends DataEncException {

    public DecryptionFailedException(String message) {
        super(message);
    }

    public DecryptionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
