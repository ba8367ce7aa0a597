package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Test helper: tells which key a cached GCM cipher holds. */
final class CipherKeys {

    private CipherKeys() {
    }

    /**
     * Asserts that {@code cached} is initialised (for encryption) with the public dummy key: the tag it
     * computes over an empty message under its current IV equals a fresh cipher's under the dummy key.
     * Leaves {@code cached} finished (it is re-initialised before its next use anyway).
     */
    static void assertHoldsDummyKey(Cipher cached) throws Exception {
        byte[] iv = cached.getIV();
        Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
        reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, iv));
        assertArrayEquals(reference.doFinal(), cached.doFinal(), "the cached cipher does not hold the dummy key");
    }
}
