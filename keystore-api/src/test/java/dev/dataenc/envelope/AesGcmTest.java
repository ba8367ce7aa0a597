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
}
