package dev.dataenc.local;

import java.security.KeyStore;
import java.security.SecureRandom;
import javax.crypto.spec.PBEParameterSpec;

/**
 * How dataenc protects what it writes into a {@code local} keystore file. Each key bag: PBES2 with
 * PBKDF2-HMAC-SHA256, {@link #ITERATIONS} iterations and a fresh 16-byte salt, AES-256-CBC
 * ({@code PBEWithHmacSHA256AndAES_256}); the file's MAC: see {@link Pkcs12Mac}. 600,000 iterations is the
 * OWASP recommendation for PBKDF2-HMAC-SHA256 (2023). Files written with fewer iterations (dataenc before
 * this version used the JDK's 10,000) still open, and are upgraded at their next change.
 */
final class Pkcs12Protection {

    /** PBKDF2 iterations of every key bag and of the file's MAC. */
    static final int ITERATIONS = 600_000;
    /** Shortest password a new keystore file is created with. */
    static final int MIN_PASSWORD_LENGTH = 12;

    private static final String KEY_PBE_ALGORITHM = "PBEWithHmacSHA256AndAES_256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs12Protection() {
    }

    /** The protection of one new key bag: the password with a fresh salt and {@link #ITERATIONS}. */
    static KeyStore.PasswordProtection forNewEntry(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new KeyStore.PasswordProtection(password, KEY_PBE_ALGORITHM, new PBEParameterSpec(salt, ITERATIONS));
    }
}
