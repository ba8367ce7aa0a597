package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.testing.FixedDataKeySource;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The public text-form helpers of both property ciphers: decode and encode are exact inverses, and each refuses the other kind. */
class TextFormHelpersTest {

    private static final String CONTEXT = "Customer.email";

    private final FixedDataKeySource keys = FixedDataKeySource.withRandomKey();
    private final PropertyCipher random = new PropertyCipher(keys);
    private final DeterministicCipher deterministic = new DeterministicCipher(keys, () -> List.of(keys.activeId()));

    @Test
    void randomisedText_decodesToTheBinaryThatDecrypts_andEncodesBackToTheSameText() {
        String text = random.encryptString("Zoë 🙂", CONTEXT);
        byte[] binary = PropertyCipher.decodeText(text);
        assertArrayEquals("Zoë 🙂".getBytes(UTF_8), random.decrypt(binary, CONTEXT));
        assertEquals(text, PropertyCipher.encodeText(binary));
        assertEquals(keys.activeId(), PropertyCipher.cdkIdOf(binary));
    }

    @Test
    void deterministicText_decodesToTheBinaryThatDecrypts_andEncodesBackToTheSameText() {
        String text = deterministic.encryptString("Zoë 🙂", CONTEXT);
        byte[] binary = DeterministicCipher.decodeText(text);
        assertArrayEquals("Zoë 🙂".getBytes(UTF_8), deterministic.decrypt(binary, CONTEXT));
        assertEquals(text, DeterministicCipher.encodeText(binary));
        assertEquals(keys.activeId(), DeterministicCipher.cdkIdOf(binary));
    }

    @Test
    void otherKindOrDamagedText_refusedWithMalformed() {
        String randomText = random.encryptString("x", CONTEXT);
        String detText = deterministic.encryptString("x", CONTEXT);
        assertThrows(MalformedCiphertextException.class, () -> PropertyCipher.decodeText(detText));
        assertThrows(MalformedCiphertextException.class, () -> DeterministicCipher.decodeText(randomText));
        assertThrows(MalformedCiphertextException.class, () -> PropertyCipher.decodeText(randomText + "="));
        assertThrows(MalformedCiphertextException.class,
                () -> PropertyCipher.encodeText(DeterministicCipher.decodeText(detText)));
        assertThrows(MalformedCiphertextException.class,
                () -> DeterministicCipher.encodeText(PropertyCipher.decodeText(randomText)));
        assertThrows(MalformedCiphertextException.class,
                () -> DeterministicCipher.cdkIdOf(PropertyCipher.decodeText(randomText)));
    }

    @Test
    void truncatedText_impossibleLengthOrNonCanonicalEnd_saysItMayBeTruncatedOrAltered() {
        String text = random.encryptString("ada@example.com", CONTEXT);
        int payload = text.length() - "dataenc:v1:".length();
        // cut so that the base64 part has 4n+1 characters (impossible) and 4n+2 ending in 'B' (unused bits set)
        String impossible = text.substring(0, text.length() - ((payload % 4 + 3) % 4));
        String nonCanonical = "dataenc:v1:" + text.substring("dataenc:v1:".length(), text.length() - payload % 4 - 4) + "AB";

        MalformedCiphertextException length = assertThrows(MalformedCiphertextException.class,
                () -> PropertyCipher.decodeText(impossible));
        MalformedCiphertextException bits = assertThrows(MalformedCiphertextException.class,
                () -> PropertyCipher.decodeText(nonCanonical));

        assertTrue(length.getMessage().contains("is not a possible base64 length: the value was probably truncated"),
                length.getMessage());
        assertTrue(bits.getMessage().contains("are not zero): the value was probably truncated (e.g. cut to fit a column"
                + " too short for it, see docs/COLUMN-SIZING.md) or altered"), bits.getMessage());
    }
}
