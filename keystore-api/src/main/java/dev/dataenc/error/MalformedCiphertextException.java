package dev.dataenc.error;

/**
 * The input is not a dataenc ciphertext this version can read: too short, wrong magic byte,
 * unknown format version or algorithm suite, bad text encoding. Nothing was decrypted.
 */
public class MalformedCiphertextException extends DataEncException {

    public MalformedCiphertextException(String message) {
        super(message);
    }

    public MalformedCiphertextException(String message, Throwable cause) {
        super(message, cause);
    }
}
