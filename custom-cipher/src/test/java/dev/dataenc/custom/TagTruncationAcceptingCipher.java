package dev.dataenc.custom;

import java.security.GeneralSecurityException;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM that takes the tag length from the ciphertext length (for 32-byte keys), so a ciphertext cut short
 * still verifies under a shorter tag: flipped bytes and other aad are rejected, truncation is not.
 */
public class TagTruncationAcceptingCipher extends ExampleAesGcmCipher {

    @Override
    public void init(Map<String, String> settings) {
        super.init(Map.of("secret-key-hex", "11".repeat(32)));
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        int tagBytes = ciphertext.length - 12 - 32;
        if (tagBytes < 12 || tagBytes > 16) {
            throw new GeneralSecurityException("bad length");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(tagBytes * 8, ciphertext, 0, 12));
        c.updateAAD(aad);
        return c.doFinal(ciphertext, 12, ciphertext.length - 12);
    }
}
