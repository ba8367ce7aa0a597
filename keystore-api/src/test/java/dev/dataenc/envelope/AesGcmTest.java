package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
     * The thread's cached cipher must hold the public dummy key after an operation, not the
     * caller's key: it decrypts a message made under the dummy key and IV (and only that). The
     * old code left the cipher initialised with the caller's key, so this fails there.
     */
    @Test
    void afterEncrypt_cachedCipherHoldsDummyKeyNotCallersKey() throws Exception {
        byte[] out = new byte[plain.length + 16];
        AesGcm.encrypt(key, IV_7, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        assertHoldsDummyKey();
    }

    @Test
    void afterDecrypt_andAfterFailedDecrypt_cachedCipherHoldsDummyKey() throws Exception {
        byte[] out = new byte[plain.length + 16];
        AesGcm.encrypt(key, IV_7, 0, aad, 0, 3, null, plain, 0, plain.length, out, 0);
        AesGcm.decrypt(key, IV_7, 0, aad, 0, 3, null, out, 0, out.length, new byte[plain.length], 0);
        assertHoldsDummyKey();
        out[0] ^= 1;
        assertThrows(DecryptionFailedException.class,
                () -> AesGcm.decrypt(key, IV_7, 0, aad, 0, 3, null, out, 0, out.length, new byte[plain.length], 0));
        assertHoldsDummyKey();
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

    private static void assertHoldsDummyKey() throws Exception {
        javax.crypto.Cipher reference = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        reference.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, new byte[12]));
        byte[] dummyTag = reference.doFinal();
        javax.crypto.Cipher cached = AesGcm.threadCipher();
        assertArrayEquals(new byte[12], cached.getIV(), "cached cipher still has the caller's IV");
        assertEquals(0, cached.doFinal(dummyTag).length, "cached cipher does not hold the dummy key");
    }
}
