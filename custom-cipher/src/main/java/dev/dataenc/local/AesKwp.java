package dev.dataenc.local;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * The raw AES key wrap with padding primitive (RFC 5649, NIST SP 800-38F KWP) as the JDK provides
 * it ({@code AES/KWP/NoPadding}). Accepts AES key-encryption keys of 128, 192 and 256 bits. Kept
 * separate so that the Wycheproof test checks exactly the code the keystore uses.
 */
final class AesKwp {

    private static final String TRANSFORMATION = "AES/KWP/NoPadding";

    private AesKwp() {
    }

    /** Wraps {@code plaintext} (1 byte or more) under {@code kek}; the result is 8 to 15 bytes longer. */
    static byte[] wrap(SecretKey kek, byte[] plaintext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.ENCRYPT_MODE, kek);
        return c.doFinal(plaintext);
    }

    /**
     * Unwraps and checks integrity and padding.
     *
     * @throws GeneralSecurityException if the bytes do not unwrap under {@code kek} (altered, wrong key, bad length)
     */
    static byte[] unwrap(SecretKey kek, byte[] wrapped) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.DECRYPT_MODE, kek);
        return c.doFinal(wrapped);
    }
}
