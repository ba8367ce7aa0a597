package dev.dataenc.custom;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Checks that a site's cipher is usable for wrapping keys before dataenc relies on it: a random key
 * round-trips; the ciphertext does not contain the key (no 8 consecutive bytes of it); two encryptions of
 * the same key and aad differ (randomised, as with a random IV); a ciphertext with a flipped byte (first,
 * middle, last), cut short by one byte or half, or extended by a byte, is rejected; and the associated data
 * is authenticated (other aad is rejected).
 *
 * <p>These are necessary conditions only: a test of outputs cannot prove that a cipher keeps the key
 * confidential (a cipher that XORs the key with a constant and appends a MAC passes). Use a reviewed
 * AEAD such as AES-GCM in an HSM.
 */
final class CustomCipherSelfTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REQUIREMENT = " dataenc requires authenticated encryption with associated data"
            + " (for example AES-GCM with a random IV): decrypt must throw when the ciphertext or the aad was changed.";

    private CustomCipherSelfTest() {
    }

    /**
     * Runs the self-test.
     *
     * @param what describes the keystore and class for messages
     * @throws KeystoreConfigurationException explaining what the cipher got wrong
     */
    static void run(CustomCipher cipher, String what) {
        byte[] key = new byte[DataKey.LENGTH];
        RANDOM.nextBytes(key);
        byte[] aad = ("dataenc/custom/self-test/" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        byte[] back = null;
        try {
            byte[] ct = call(() -> cipher.encrypt(key.clone(), aad.clone()), what, "encrypt");
            if (ct == null || ct.length == 0) {
                throw refuse(what, "encrypt returned no ciphertext.");
            }
            back = call(() -> cipher.decrypt(ct.clone(), aad.clone()), what, "decrypt");
            if (back == null || !MessageDigest.isEqual(back, key)) {
                throw refuse(what, "a random key did not decrypt to itself.");
            }
            if (containsPartOf(ct, key)) {
                throw new KeystoreConfigurationException("custom cipher " + what + " does not encrypt: its ciphertext"
                        + " contains the plaintext key (8 or more consecutive bytes of it)." + REQUIREMENT);
            }
            byte[] again = call(() -> cipher.encrypt(key.clone(), aad.clone()), what, "encrypt");
            if (Arrays.equals(ct, again)) {
                throw new KeystoreConfigurationException("custom cipher " + what + " is deterministic: two encryptions of"
                        + " the same key gave the same ciphertext, so equal keys are visible as equal ciphertexts."
                        + " Use a fresh random IV (nonce) per encryption." + REQUIREMENT);
            }
            for (int i : new int[] {0, ct.length / 2, ct.length - 1}) {
                byte[] bad = ct.clone();
                bad[i] ^= 0x01;
                if (accepts(cipher, bad, aad)) {
                    throw new KeystoreConfigurationException("custom cipher " + what + " is not authenticated:"
                            + " a ciphertext with byte " + i + " flipped decrypted without error." + REQUIREMENT);
                }
            }
            byte[] otherAad = aad.clone();
            otherAad[otherAad.length - 1] ^= 0x01;
            if (accepts(cipher, ct, otherAad)) {
                throw new KeystoreConfigurationException("custom cipher " + what + " ignores the associated data:"
                        + " a ciphertext decrypted with different aad." + REQUIREMENT);
            }
            for (int length : new int[] {ct.length - 1, ct.length / 2}) {
                if (accepts(cipher, Arrays.copyOf(ct, length), aad)) {
                    throw new KeystoreConfigurationException("custom cipher " + what + " accepts a truncated ciphertext:"
                            + " the first " + length + " of " + ct.length + " bytes decrypted without error." + REQUIREMENT);
                }
            }
            if (accepts(cipher, Arrays.copyOf(ct, ct.length + 1), aad)) {
                throw new KeystoreConfigurationException("custom cipher " + what + " accepts an extended ciphertext:"
                        + " a ciphertext with one byte appended decrypted without error." + REQUIREMENT);
            }
        } finally {
            DataKey.zeroize(key);
            DataKey.zeroize(back);
        }
    }

    /** True when any 8 consecutive bytes of {@code secret} occur in {@code ct}. */
    private static boolean containsPartOf(byte[] ct, byte[] secret) {
        int window = 8;
        for (int i = 0; i + window <= secret.length; i++) {
            for (int j = 0; j + window <= ct.length; j++) {
                if (Arrays.equals(secret, i, i + window, ct, j, j + window)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean accepts(CustomCipher cipher, byte[] ct, byte[] aad) {
        try {
            DataKey.zeroize(cipher.decrypt(ct, aad));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private interface Call {
        byte[] run() throws Exception;
    }

    private static byte[] call(Call call, String what, String method) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new KeystoreConfigurationException("custom cipher " + what + " failed its self-test: " + method
                    + " of a random key threw " + e + ".", e);
        }
    }

    private static KeystoreConfigurationException refuse(String what, String why) {
        return new KeystoreConfigurationException("custom cipher " + what + " failed its self-test: " + why + REQUIREMENT);
    }
}
