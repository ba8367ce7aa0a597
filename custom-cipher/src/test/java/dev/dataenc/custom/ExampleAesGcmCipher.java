package dev.dataenc.custom;

import dev.dataenc.keystore.MasterKeyState;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An example site cipher: AES-256-GCM under a key given in setting {@code secret-key-hex} (64 hex digits),
 * key id from setting {@code key-id}. Its state can be switched (as a site's HSM might report).
 */
public class ExampleAesGcmCipher implements CustomCipher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeySpec key;
    private String keyId;
    private volatile MasterKeyState state = MasterKeyState.ENABLED;

    @Override
    public void init(Map<String, String> settings) {
        String hex = settings.get("secret-key-hex");
        if (hex == null || hex.length() != 64) {
            throw new IllegalArgumentException("setting 'secret-key-hex' must be 64 hex digits");
        }
        key = new SecretKeySpec(HexFormat.of().parseHex(hex), "AES");
        keyId = settings.getOrDefault("key-id", "example-key");
    }

    /** The AES key (for test ciphers built on this one). */
    protected SecretKeySpec key() {
        return key;
    }

    void setState(MasterKeyState state) {
        this.state = state;
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        byte[] out = new byte[12 + plaintext.length + 16];
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        System.arraycopy(iv, 0, out, 0, 12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        c.doFinal(plaintext, 0, plaintext.length, out, 12);
        return out;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        if (ciphertext.length < 28) {
            throw new GeneralSecurityException("ciphertext too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ciphertext, 0, 12));
        c.updateAAD(aad);
        return c.doFinal(ciphertext, 12, ciphertext.length - 12);
    }

    @Override
    public MasterKeyState state() {
        return state;
    }
}
