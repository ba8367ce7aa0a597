package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreConfigurationException;

/**
 * The user PIN from the environment variable named by {@code pin-env} is missing, wrong or locked. dataenc tries a
 * PIN once per opening and never retries it, so a wrong PIN does not use up the token's attempts.
 */
public class Pkcs11PinIncorrectException extends KeystoreConfigurationException {

    public Pkcs11PinIncorrectException(String message, Throwable cause) {
        super(message, cause);
    }
}
