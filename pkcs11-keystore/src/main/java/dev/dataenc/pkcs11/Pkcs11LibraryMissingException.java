package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreConfigurationException;

/** The PKCS#11 module named by setting {@code library} does not exist or cannot be loaded. */
public class Pkcs11LibraryMissingException extends KeystoreConfigurationException {

    public Pkcs11LibraryMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
