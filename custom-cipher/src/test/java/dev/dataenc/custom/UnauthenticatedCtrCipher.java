package dev.dataenc.custom;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** A deliberately unauthenticated cipher (AES-CTR, no tag), which dataenc must refuse. */
public class UnauthenticatedCtrCipher implements CustomCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");

    @Override
    public String keyId() {
        return "ctr";
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        byte[] out = new byte[16 + plaintext.length];
        System.arraycopy(iv, 0, out, 0, 16);
        c.doFinal(plaintext, 0, plaintext.length, out, 16);
        return out;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(ciphertext, 0, 16));
        return c.doFinal(ciphertext, 16, ciphertext.length - 16);
    }
}
