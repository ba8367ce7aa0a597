package dev.dataenc.envelope;

import com.google.crypto.tink.subtle.AesSiv;

import java.security.GeneralSecurityException;

/**
 * The one place that touches Tink: AES-SIV (RFC 5297) from {@code com.google.crypto.tink.subtle.AesSiv}. Tink is an
 * optional dependency of keystore-api (only deterministic fields need it), so no other class names a Tink type and a
 * host without Tink loads none of this until it encrypts a deterministic value.
 */
final class AesSivPrimitive {

    private final AesSiv siv;

    /** A primitive over a 64-byte key (the caller wipes its array; Tink keeps its own key schedule). */
    AesSivPrimitive(byte[] key) throws GeneralSecurityException {
        this.siv = new AesSiv(key);
    }

    byte[] seal(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return siv.encryptDeterministically(plaintext, associatedData);
    }

    byte[] open(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return siv.decryptDeterministically(ciphertext, associatedData);
    }
}
