package dev.dataenc.error;

/**
 * A wrapped CDK could not be unwrapped although the keystore and its master key are usable:
 * the wrapped bytes were altered, belong to another CDK, or were made by another master key.
 */
public class WrappedKeyException extends DataEncException {

    public WrappedKeyException(String message) {
        super(message);
    }

    public WrappedKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
