package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.MalformedCiphertextException;

import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class BlobFormatTest {

    private static final byte[] SALT = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] PREFIX = HexFormat.of().parseHex("a0a1a2a3a4a5a6");

    @Test
    void header_hasDocumentedLayout() {
        CdkId id = new CdkId(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
        byte[] h = new BlobHeader(id, 65536, SALT, PREFIX).toBytes();
        assertEquals(62, h.length);
        assertEquals("de0102" + "00112233445566778899aabbccddeeff" + "00010000"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + "a0a1a2a3a4a5a6",
                HexFormat.of().formatHex(h));
        assertEquals(new BlobHeader(id, 65536, SALT, PREFIX), BlobFormat.parse(h));
        assertEquals(id, BlobCipher.cdkIdOf(h));
    }

    @Test
    void badSegmentSizeInHeader_isMalformed() {
        byte[] h = new BlobHeader(CdkId.random(), 4096, SALT, PREFIX).toBytes();
        h[19] = (byte) 0x7F;
        assertThrows(MalformedCiphertextException.class, () -> BlobFormat.parse(h));
    }

    @Test
    void segmentNonce_isPrefixIndexAndFlag() {
        SegmentNonce n = new SegmentNonce(PREFIX);
        assertEquals("a0a1a2a3a4a5a6" + "00000000" + "00", HexFormat.of().formatHex(n.of(0, false)));
        assertEquals("a0a1a2a3a4a5a6" + "01020304" + "01", HexFormat.of().formatHex(n.of(0x01020304L, true)));
        assertEquals("a0a1a2a3a4a5a6" + "ffffffff" + "01", HexFormat.of().formatHex(n.of(0xFFFFFFFFL, true)));
        assertThrows(IllegalArgumentException.class, () -> n.of(0x1_0000_0000L, false));
    }

    @Test
    void header_copiesArrays() {
        byte[] salt = SALT.clone();
        BlobHeader h = new BlobHeader(CdkId.random(), 4096, salt, PREFIX);
        salt[0] = 9;
        h.salt()[1] = 9;
        assertArrayEquals(SALT, h.salt());
    }
}
