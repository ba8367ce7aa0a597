package dev.dataenc.custom;

import dev.dataenc.keystore.MasterKeyState;

import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * A site-specific cipher that wraps dataenc's data keys (keystore type {@code custom}). Implement it,
 * put the jar on the class path and name the class in the keystore setting {@code class}.
 *
 * <p>Lifecycle: dataenc loads the class by name, calls its <b>public no-argument constructor</b>, then
 * {@link #init(Map)} once with all the keystore's settings, then runs a self-test (a random key must
 * round-trip; a ciphertext with a flipped byte, or decrypted with other associated data, must be
 * rejected). After that the methods may be called from many threads at once and must be thread-safe.
 *
 * <p>The cipher must be <em>authenticated encryption with associated data</em> (for example AES-GCM):
 * {@link #decrypt} must throw when the ciphertext or the associated data differ in any bit. dataenc
 * refuses a cipher that fails the self-test.
 */
public interface CustomCipher {

    /**
     * Configures the cipher; called once, before any other method.
     *
     * @param settings every setting of the keystore (including {@code class}); unmodifiable
     * @throws Exception any failure; dataenc reports it as a configuration error with this as cause
     */
    default void init(Map<String, String> settings) throws Exception {
    }

    /**
     * A stable, non-secret id of the key this cipher uses (e.g. an HSM key label); recorded in each
     * wrapping as its master key id.
     */
    String keyId();

    /**
     * Encrypts {@code plaintext} and authenticates it together with {@code aad}.
     *
     * @return the ciphertext, including whatever the cipher needs to decrypt it (IV, tag, ...)
     */
    byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException;

    /**
     * Decrypts a ciphertext {@link #encrypt} made with the same {@code aad}.
     *
     * @throws GeneralSecurityException (or any other exception) if the ciphertext or aad was altered
     */
    byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException;

    /** The state of the cipher's key; only {@link MasterKeyState#ENABLED} is used. Default: ENABLED. */
    default MasterKeyState state() {
        return MasterKeyState.ENABLED;
    }

    /** Releases resources (sessions, handles); called when the keystore is closed. Default: nothing. */
    default void close() {
    }
}
