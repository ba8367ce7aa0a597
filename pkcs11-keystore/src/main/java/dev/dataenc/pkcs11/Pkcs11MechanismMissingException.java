package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreConfigurationException;

/** The token lacks a mechanism the keystore needs (CKM_AES_GCM to wrap, CKM_AES_KEY_GEN to create a key). */
public class Pkcs11MechanismMissingException extends KeystoreConfigurationException {

    public Pkcs11MechanismMissingException(String message) {
        super(message);
    }
}
