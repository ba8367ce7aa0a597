package dev.dataenc.error;

/**
 * A string could not be converted to or from UTF-8 exactly: a context or a plaintext string
 * holds an unpaired surrogate (half of a UTF-16 pair), or decrypted bytes asked for as a string
 * are not valid UTF-8. dataenc never replaces such characters with {@code '?'} or U+FFFD, since
 * two different strings would then share one ciphertext or one context. The message says where
 * the problem is, never the text itself.
 */
public class TextEncodingException extends DataEncException {

    public TextEncodingException(String message) {
        super(message);
    }

    public TextEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
