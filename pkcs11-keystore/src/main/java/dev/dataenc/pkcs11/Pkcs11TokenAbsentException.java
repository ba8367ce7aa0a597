package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.MasterKeyState;

/** The configured slot or token is not there (no such slot id, index or token label; token removed). */
public class Pkcs11TokenAbsentException extends KeystoreUnavailableException {

    public Pkcs11TokenAbsentException(String keystoreName, String message, Throwable cause) {
        super(keystoreName, MasterKeyState.UNREACHABLE, message, cause);
    }
}
