package dev.dataenc.envelope;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** A BLOB stream's cipher drops the per-blob key when the stream's key is destroyed. */
class SegmentCipherScrubTest {

    @Test
    void destroy_leavesTheCipherHoldingTheDummyKey() throws Exception {
        BlobKey key = BlobKey.derive(new byte[32], new byte[BlobFormat.HEADER_LENGTH], new byte[32], new byte[0]);
        SegmentCipher segments = new SegmentCipher(key, new byte[BlobFormat.NONCE_PREFIX_LENGTH]);
        segments.encrypt(0, true, new byte[10], 0, 10, new ByteArrayOutputStream());
        segments.destroy();
        CipherKeys.assertHoldsDummyKey(segments.cipherForTest());
    }
}
