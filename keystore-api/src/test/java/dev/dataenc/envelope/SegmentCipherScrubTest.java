package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A BLOB stream's cipher drops the per-blob key when the stream's key is destroyed. */
class SegmentCipherScrubTest {

    @Test
    void destroy_leavesTheCipherHoldingTheDummyKey() throws Exception {
        BlobKey key = BlobKey.derive(new byte[32], new byte[BlobFormat.HEADER_LENGTH], new byte[32], new byte[0]);
        SegmentCipher segments = new SegmentCipher(key, new byte[BlobFormat.NONCE_PREFIX_LENGTH]);
        segments.encrypt(0, true, new byte[10], 0, 10, new ByteArrayOutputStream());
        segments.destroy();
        Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
        reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
        byte[] dummyTag = reference.doFinal();
        assertArrayEquals(new byte[12], segments.cipherForTest().getIV());
        assertEquals(0, segments.cipherForTest().doFinal(dummyTag).length);
    }
}
