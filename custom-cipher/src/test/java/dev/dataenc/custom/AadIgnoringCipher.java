package dev.dataenc.custom;

import java.security.GeneralSecurityException;
import java.util.Map;

/** AES-GCM that forgets to authenticate the associated data; dataenc must refuse it. */
public class AadIgnoringCipher extends ExampleAesGcmCipher {

    @Override
    public void init(Map<String, String> settings) {
        super.init(Map.of("secret-key-hex", "00".repeat(32)));
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        return super.encrypt(plaintext, new byte[0]);
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        return super.decrypt(ciphertext, new byte[0]);
    }
}
