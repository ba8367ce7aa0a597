package dev.dataenc.custom;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;

/**
 * AES-GCM behind a one-byte length prefix; decrypt reads that many bytes and ignores anything after them, so
 * an extended ciphertext is accepted (flipped bytes, truncation and other aad are rejected).
 */
public class TrailingBytesIgnoringCipher extends ExampleAesGcmCipher {

    @Override
    public void init(Map<String, String> settings) {
        super.init(Map.of("secret-key-hex", "22".repeat(32)));
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        byte[] inner = super.encrypt(plaintext, aad);
        byte[] out = new byte[1 + inner.length];
        out[0] = (byte) inner.length;
        System.arraycopy(inner, 0, out, 1, inner.length);
        return out;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        int length = ciphertext[0] & 0xff;
        if (ciphertext.length < 1 + length) {
            throw new GeneralSecurityException("too short");
        }
        return super.decrypt(Arrays.copyOfRange(ciphertext, 1, 1 + length), aad);
    }
}
