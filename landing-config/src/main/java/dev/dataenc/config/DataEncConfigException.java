package dev.dataenc.config;

import dev.dataenc.error.DataEncException;

/**
 * The data-encryption configuration is unreadable or invalid. The message names the file, the
 * bad key and what would be valid.
 */
public class DataEncConfigException extends DataEncException {

    private final String key;

    /**
     * @param key     the configuration key at fault, or {@code null} when the file as a whole is
     * @param message what is wrong and what would be valid
     */
    public DataEncConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public DataEncConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The configuration key at fault, or {@code null}. */
    public String key() {
        return key;
    }
}
