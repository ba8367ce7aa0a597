package dev.dataenc.error;

/**
 * Base of every exception dataenc throws. Unchecked, so host code is not forced to wrap
 * every call, but always typed: catch a subclass to react to one kind of failure.
 *
 * <p>Messages are written for the person who has to act on them (say what was found and
 * what to do) and never contain plaintext data or key bytes.
 */
public class DataEncException extends RuntimeException {

    public DataEncException(String message) {
        super(message);
    }

    public DataEncException(String message, Throwable cause) {
        super(message, cause);
    }
}
