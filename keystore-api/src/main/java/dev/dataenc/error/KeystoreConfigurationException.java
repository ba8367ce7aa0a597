package dev.dataenc.error;

/**
 * A keystore (or custom cipher) cannot be created from its settings: a required setting is
 * missing, a value is invalid, a file cannot be read, a password is wrong, a class is
 * missing. The message names the setting and what would be valid.
 */
public class KeystoreConfigurationException extends DataEncException {

    public KeystoreConfigurationException(String message) {
        super(message);
    }

    public KeystoreConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
