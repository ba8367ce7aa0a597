package dev.dataenc.custom;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/** Not a cipher: outputs the plaintext followed by SHA-256(plaintext | aad). Tamper-evident, but no secrecy. */
public class PlaintextPlusHashCipher implements CustomCipher {

    @Override
    public String keyId() {
        return "plain";
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        byte[] out = Arrays.copyOf(plaintext, plaintext.length + 32);
        System.arraycopy(hash(plaintext, aad), 0, out, plaintext.length, 32);
        return out;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        if (ciphertext.length < 32) {
            throw new GeneralSecurityException("too short");
        }
        byte[] plain = Arrays.copyOf(ciphertext, ciphertext.length - 32);
        if (!MessageDigest.isEqual(hash(plain, aad), Arrays.copyOfRange(ciphertext, plain.length, ciphertext.length))) {
            throw new GeneralSecurityException("hash mismatch");
        }
        return plain;
    }

    private static byte[] hash(byte[] plain, byte[] aad) throws GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(plain);
        md.update(aad);
        return md.digest();
    }
}
