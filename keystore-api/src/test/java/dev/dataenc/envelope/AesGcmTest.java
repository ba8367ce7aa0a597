package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.keystore.DataKey;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesGcmTest {

    private static final byte[] IV_7 = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
    private final DataKey key = DataKey.generate(CdkId.random());
    private final byte[] iv = new byte[12];
    private final byte[] aad = {1, 2, 3};
    private final byte[] plain = "some plaintext".getBytes();

    @Test
    void encryptAtOffsets_decryptsWithSplitAad() {
        byte[] out = new byte[5 + plain.length + 16];
        int n = AesGcm.encrypt(key, iv, 0, aad, 0, 2, new byte[] {3}, plain, 0, plain.length, out, 5);
        assertEquals(plain.length + 16, n);
        byte[] back = new byte[plain.length + 1];
        int m = AesGcm.decrypt(key, iv, 0, new byte[] {9, 1, 2, 3}, 1, 3, null, out, 5, n, back, 1);
        assertEquals(plain.length, m);
        assertArrayEquals(plain, Arrays.copyOfRange(back, 1, back.length));
    }

    @Test
    void badTag_failsWithDecryptionFailedNotJceException() {
        byte[] out = new byte[plain.length + 16];
        AesGcm.encrypt(key, iv, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        out[out.length - 1] ^= 1;
        byte[] back = new byte[plain.length];
        assertThrows(DecryptionFailedException.class,
                () -> AesGcm.decrypt(key, iv, 0, aad, 0, 3, null, out, 0, out.length, back, 0));
        assertArrayEquals(new byte[plain.length], back, "nothing released");
        assertThrows(DecryptionFailedException.class,
                () -> AesGcm.decrypt(key, iv, 0, aad, 0, 3, null, out, 0, 15, back, 0));
    }

    @Test
    void destroyedKey_failsWithIllegalState() {
        DataKey k = DataKey.generate(CdkId.random());
        k.destroy();
        byte[] out = new byte[plain.length + 16];
        assertThrows(IllegalStateException.class,
                () -> AesGcm.encrypt(k, iv, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0));
        assertThrows(IllegalStateException.class,
                () -> AesGcm.decrypt(k, iv, 0, aad, 0, 3, null, out, 0, out.length, new byte[plain.length], 0));
    }

    @Test
    void shorterKeysOrSmallOutput_areRejected() {
        byte[] out = new byte[plain.length + 16];
        assertThrows(IllegalArgumentException.class, () -> AesGcm.encrypt(new SecretKeySpec(new byte[16], "AES"),
                iv, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> AesGcm.encrypt(key, iv, 0, aad, 0, 3, null, plain, 0, plain.length, out, 1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> AesGcm.encrypt(key, new byte[11], 0, aad, 0, 3, null, plain, 0, plain.length, out, 0));
    }

    @Test
    void sameKeyAndIvTwiceInARow_isRefused() {
        byte[] out = new byte[plain.length + 16];
        byte[] freshIv = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        AesGcm.encrypt(key, freshIv, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        assertThrows(IllegalArgumentException.class,
                () -> AesGcm.encrypt(key, freshIv, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0));
    }

    /**
     * A key that cannot say when it dies (not a {@link DataKey}) is scrubbed out of the thread's cached
     * cipher after every operation, successful or not.
     */
    @Test
    void plainSecretKey_afterEncryptAndDecrypt_cachedCipherHoldsDummyKey() throws Exception {
        SecretKeySpec plainKey = new SecretKeySpec(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "AES");
        byte[] out = new byte[plain.length + 16];
        AesGcm.encrypt(plainKey, IV_7, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        CipherKeys.assertHoldsDummyKey(AesGcm.threadCipher());
        AesGcm.decrypt(plainKey, IV_7, 0, aad, 0, 3, null, out, 0, out.length, new byte[plain.length], 0);
        CipherKeys.assertHoldsDummyKey(AesGcm.threadCipher());
        out[0] ^= 1;
        assertThrows(DecryptionFailedException.class,
                () -> AesGcm.decrypt(plainKey, IV_7, 0, aad, 0, 3, null, out, 0, out.length, new byte[plain.length], 0));
        CipherKeys.assertHoldsDummyKey(AesGcm.threadCipher());
    }

    /**
     * A {@link DataKey} stays in the thread's cipher between operations (no key expansion per message)
     * and is scrubbed out of it the moment the key is destroyed, raw key copy included: afterwards the
     * cipher accepts the last encryption's key bytes and IV again, which it refuses while it remembers them.
     * The old code scrubbed in decrypt mode, which left GCM's raw copy of the key in the cipher.
     */
    @Test
    void dataKeyDestroyed_cachedCipherHoldsDummyKeyAndForgetsTheKeyBytes() throws Exception {
        DataKey k = DataKey.generate(CdkId.random());
        byte[] keyBytes = k.getEncoded();
        byte[] out = new byte[plain.length + 16];
        AesGcm.encrypt(k, IV_7, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        javax.crypto.Cipher cached = AesGcm.threadCipher();
        assertThrows(java.security.InvalidAlgorithmParameterException.class, () -> cached.init(
                javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, IV_7)), "the cipher still holds the live key");
        k.destroy();
        CipherKeys.assertHoldsDummyKey(cached);
        cached.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, IV_7)); // not refused: the key bytes are gone from it
        DataKey.zeroize(keyBytes);
    }

    /** The destroy action of a key scrubs the cipher of every thread that used it, not only the destroying thread's. */
    @Test
    void dataKeyDestroyedOnAnotherThread_scrubsThisThreadsCipher() throws Exception {
        DataKey k = DataKey.generate(CdkId.random());
        byte[] out = new byte[plain.length + 16];
        AesGcm.encrypt(k, IV_7, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        Thread destroyer = new Thread(k::destroy);
        destroyer.start();
        destroyer.join();
        CipherKeys.assertHoldsDummyKey(AesGcm.threadCipher());
        assertThrows(IllegalStateException.class,
                () -> AesGcm.decrypt(k, IV_7, 0, aad, 0, 3, null, out, 0, out.length, new byte[plain.length], 0));
        // another key afterwards works as usual
        byte[] again = new byte[plain.length + 16];
        AesGcm.encrypt(key, iv, 0, aad, 0, 3, null, plain, 0, plain.length, again, 0);
        byte[] back = new byte[plain.length];
        AesGcm.decrypt(key, iv, 0, aad, 0, 3, null, again, 0, again.length, back, 0);
        assertArrayEquals(plain, back);
    }

    /**
     * Alternating CDKs keep one key schedule each: the old code re-initialised the thread's single cipher with the
     * other key at every switch (an AES key expansion, several times a small decryption on JDK 17). Each key's cipher
     * still holds it (it refuses that key's last IV again) while the other is used, and destroying one key scrubs only
     * its cipher.
     */
    @Test
    void alternatingDataKeys_eachKeepsItsOwnCipher_destroyScrubsOnlyItsOwn() throws Exception {
        DataKey k1 = DataKey.generate(CdkId.random());
        DataKey k2 = DataKey.generate(CdkId.random());
        byte[] k1Bytes = k1.getEncoded();
        byte[] k2Bytes = k2.getEncoded();
        byte[] iv1 = IV_7.clone();
        byte[] iv2 = IV_7.clone();
        iv2[0] ^= 1;
        byte[] out1 = new byte[plain.length + 16];
        byte[] out2 = new byte[plain.length + 16];
        for (int i = 0; i < 3; i++) {
            iv1[1] = (byte) i;
            iv2[1] = (byte) i;
            AesGcm.encrypt(k1, iv1, 0, aad, 0, 3, null, plain, 0, plain.length, out1, 0);
            AesGcm.encrypt(k2, iv2, 0, aad, 0, 3, null, plain, 0, plain.length, out2, 0);
        }
        javax.crypto.Cipher c1 = AesGcm.threadCipherHolding(k1);
        javax.crypto.Cipher c2 = AesGcm.threadCipherHolding(k2);
        assertNotSame(c1, c2);
        assertThrows(java.security.InvalidAlgorithmParameterException.class, () -> c1.init(javax.crypto.Cipher.ENCRYPT_MODE,
                new SecretKeySpec(k1Bytes, "AES"), new javax.crypto.spec.GCMParameterSpec(128, iv1)),
                "k1's cipher still holds k1 after k2 was used");
        byte[] back = new byte[plain.length];
        AesGcm.decrypt(k1, iv1, 0, aad, 0, 3, null, out1, 0, out1.length, back, 0);
        assertArrayEquals(plain, back);
        AesGcm.decrypt(k2, iv2, 0, aad, 0, 3, null, out2, 0, out2.length, back, 0);
        assertArrayEquals(plain, back);

        k1.destroy();
        CipherKeys.assertHoldsDummyKey(c1);
        assertNull(AesGcm.threadCipherHolding(k1));
        assertSame(c2, AesGcm.threadCipherHolding(k2), "k2 is untouched");
        AesGcm.decrypt(k2, iv2, 0, aad, 0, 3, null, out2, 0, out2.length, back, 0);
        assertArrayEquals(plain, back);
        k2.destroy();
        CipherKeys.assertHoldsDummyKey(c2);
        DataKey.zeroize(k1Bytes);
        DataKey.zeroize(k2Bytes);
    }

    /** More keys than cached ciphers: the least recently used one is re-initialised; everything round-trips. */
    @Test
    void moreKeysThanCachedCiphers_leastRecentlyUsedIsReplaced_allRoundTrip() {
        java.util.List<DataKey> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            keys.add(DataKey.generate(CdkId.random()));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < keys.size(); i++) {
                byte[] ivI = new byte[12];
                ivI[0] = (byte) i;
                ivI[1] = (byte) round;
                byte[] out = new byte[plain.length + 16];
                AesGcm.encrypt(keys.get(i), ivI, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
                byte[] back = new byte[plain.length];
                AesGcm.decrypt(keys.get(i), ivI, 0, aad, 0, 3, null, out, 0, out.length, back, 0);
                assertArrayEquals(plain, back);
            }
        }
        assertNotNull(AesGcm.threadCipherHolding(keys.get(6)), "the last used key is cached");
        assertNull(AesGcm.threadCipherHolding(keys.get(0)), "the least recently used ones were replaced");
        keys.forEach(DataKey::destroy);
        for (DataKey k : keys) {
            assertNull(AesGcm.threadCipherHolding(k));
        }
    }

    @Test
    void repeatedOperationsOnOneThread_stillRoundTrip() {
        for (int i = 0; i < 3; i++) {
            byte[] ivI = new byte[12];
            ivI[0] = (byte) i;
            byte[] out = new byte[plain.length + 16];
            AesGcm.encrypt(key, ivI, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
            byte[] back = new byte[plain.length];
            AesGcm.decrypt(key, ivI, 0, aad, 0, 3, null, out, 0, out.length, back, 0);
            assertArrayEquals(plain, back);
        }
    }

}
