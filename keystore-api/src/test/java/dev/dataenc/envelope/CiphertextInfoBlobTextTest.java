package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.MalformedCiphertextException;

import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Fuzz finding: a BLOB ciphertext wrapped in the property text form ({@code dataenc:v1:} + base64url) was accepted by
 * {@link CiphertextInfo#ofText} as a BLOB with encoding TEXT. BLOBs have no text form and FORMAT.md says a text whose
 * prefix does not match its suite is malformed; {@code dataenc decrypt <value>} then took the BLOB path with no file
 * and failed with a NullPointerException instead of a typed error.
 */
class CiphertextInfoBlobTextTest {

    /** The smallest well-formed BLOB shape: a 62-byte header (segment size 4096) and one empty segment (its tag). */
    private static final byte[] MINIMAL_BLOB = HexFormat.of().parseHex("de0102" + "00".repeat(16) + "00001000"
            + "00".repeat(32 + 7) + "00".repeat(16));

    @Test
    void blobUnderThePropertyTextPrefix_isMalformed() {
        String text = PropertyCipher.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(MINIMAL_BLOB);
        MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofText(text));
        assertTrue(e.getMessage().contains("BLOB"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void blobUnderTheDeterministicTextPrefix_isMalformed() {
        String text = DeterministicCipher.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(MINIMAL_BLOB);
        assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofText(text));
    }
}
