package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc5869Case1_matches() {
        byte[] okm = Hkdf.derive(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", HEX.formatHex(okm));
    }

    @Test
    void extractThenExpand_equalsDerive() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] prk = Hkdf.extract(ikm, null);
        assertEquals("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04", HEX.formatHex(prk));
        assertEquals(HEX.formatHex(Hkdf.derive(ikm, new byte[0], new byte[0], 42)), HEX.formatHex(Hkdf.expand(prk, new byte[0], 42)));
    }

    @Test
    void maximalAndZeroLength_work() {
        assertEquals(255 * 32, Hkdf.derive(new byte[32], new byte[32], new byte[0], 255 * 32).length);
        assertEquals(0, Hkdf.derive(new byte[32], new byte[32], new byte[0], 0).length);
    }

    @Test
    void lengthOutOfRange_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(new byte[32], null, new byte[0], 255 * 32 + 1));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(new byte[32], null, new byte[0], -1));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(new byte[16], new byte[0], 32));
    }
}
