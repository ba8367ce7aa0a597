package dev.dataenc.custom;

import java.security.GeneralSecurityException;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-GCM with a constant IV: authenticated, but equal plaintexts give equal ciphertexts (and GCM's key leaks). */
public class FixedIvCipher implements CustomCipher {

    private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    private final byte[] iv = new byte[12];

    @Override
    public void init(Map<String, String> settings) {
    }

    @Override
    public String keyId() {
        return "fixed-iv";
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(plaintext);
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(ciphertext);
    }
}
