package dev.dataenc.custom;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Checks that a site's cipher is usable for wrapping keys before dataenc relies on it: a random key
 * round-trips, a ciphertext with a flipped byte (first, middle, last) is rejected, and the
 * associated data is authenticated (other aad is rejected).
 */
final class CustomCipherSelfTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REQUIREMENT = " dataenc requires authenticated encryption with associated data"
            + " (for example AES-GCM): decrypt must throw when the ciphertext or the aad was changed.";

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
        } finally {
            DataKey.zeroize(key);
            DataKey.zeroize(back);
        }
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
