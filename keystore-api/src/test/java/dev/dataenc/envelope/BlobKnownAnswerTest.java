package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The worked example of docs/FORMAT.md, so the document and the code cannot drift apart. */
class BlobKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] CDK = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final CdkId CDK_ID = new CdkId(UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
    private static final String HEADER = "de0102" + "0f1e2d3c4b5a69788796a5b4c3d2e1f0" + "00001000"
            + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" + "b0b1b2b3b4b5b6";
    private static final String SEGMENT_0 = "543b627ecbfbc91bc16022" + "cb7ba2ee77b397acd694f3e022849c9a";

    @Test
    void documentedExample_decrypts() throws IOException {
        BlobCipher cipher = new BlobCipher(new FixedDataKeySource(List.of(DataKey.copyOf(CDK_ID, CDK)), 0));
        byte[] blob = HEX.parseHex(HEADER + SEGMENT_0);
        assertEquals(CDK_ID, BlobCipher.cdkIdOf(blob));
        assertArrayEquals("hello, blob".getBytes(StandardCharsets.US_ASCII), BlobTestSupport.decrypt(cipher, blob, "Invoice.pdf"));
    }

    @Test
    void documentedExample_perBlobKeyAndNonce() {
        byte[] info = HEX.parseHex("64617461656e6320626c6f62207631" + HEADER + "496e766f6963652e706466");
        byte[] salt = HEX.parseHex(HEADER.substring(46, 110));
        assertEquals("417e7502c38837c356dc6d3f1c84cfac0efea0e929628cb89ce52f74716620ad", HEX.formatHex(Hkdf.extract(CDK, salt)));
        assertEquals("d6fca74228944f2967058996cf2e995404af151e3916b674ea068e529a0b9ee4", HEX.formatHex(Hkdf.derive(CDK, salt, info, 32)));
        assertEquals("b0b1b2b3b4b5b6" + "00000000" + "01", HEX.formatHex(new SegmentNonce(HEX.parseHex("b0b1b2b3b4b5b6")).of(0, true)));
    }
}
