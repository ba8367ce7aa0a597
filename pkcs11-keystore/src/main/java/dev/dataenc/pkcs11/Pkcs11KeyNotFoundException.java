package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.MasterKeyState;

/** The token has no secret key with the configured label ({@code key-label} or one of {@code former-key-labels}). */
public class Pkcs11KeyNotFoundException extends KeystoreUnavailableException {

    public Pkcs11KeyNotFoundException(String keystoreName, String message) {
        super(keystoreName, MasterKeyState.NOT_FOUND, message);
    }
}
