package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.TextEncodingException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contexts, string plaintexts and string results are strict UTF-8: an unpaired surrogate or an
 * invalid byte sequence is a {@link TextEncodingException}, never a silent {@code '?'} or U+FFFD.
 */
class StrictUtf8Test {

    private final PropertyFixture f = new PropertyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void contextWithUnpairedSurrogate_isRefusedOnEncryptAndDecrypt() {
        TextEncodingException e = assertThrows(TextEncodingException.class,
                () -> f.cipher.encrypt("x".getBytes(UTF_8), "Col\uD800"));
        assertTrue(e.getMessage().contains("context") && e.getMessage().contains("index 3"), e.getMessage());
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), "Col?");
        assertThrows(TextEncodingException.class, () -> f.cipher.decrypt(ct, "Col\uD800"));
        assertThrows(TextEncodingException.class, () -> f.cipher.decrypt(ct, "Col\uDC00"));
        assertThrows(TextEncodingException.class, () -> f.cipher.decrypt(ct, "\uDBFF"));
    }

    /** Before: "Col\uD800" was encoded as "Col?", so each decrypted the other's ciphertexts. */
    @Test
    void contextsColSurrogateAndColQuestionMark_doNotDecryptEachOther() {
        byte[] underQuestionMark = f.cipher.encrypt("secret".getBytes(UTF_8), "Col?");
        assertThrows(TextEncodingException.class, () -> f.cipher.decrypt(underQuestionMark, "Col\uD800"));
        assertThrows(TextEncodingException.class, () -> f.cipher.encrypt("secret".getBytes(UTF_8), "Col\uD800"));
        assertArrayEquals("secret".getBytes(UTF_8), f.cipher.decrypt(underQuestionMark, "Col?"));
    }

    @Test
    void plaintextStringWithUnpairedSurrogate_isRefused_notTurnedIntoQuestionMark() {
        TextEncodingException e = assertThrows(TextEncodingException.class,
                () -> f.cipher.encryptString("pass\uD83Dword", "Customer.password"));
        assertFalse(e.getMessage().contains("pass"), "message must not show the plaintext: " + e.getMessage());
        assertThrows(TextEncodingException.class, () -> f.cipher.encryptString("\uDE00", "C"));
        assertThrows(TextEncodingException.class, () -> f.cipher.encryptString("x", "C\uDE00"));
    }

    @Test
    void validSurrogatePairsAndUnnormalisedText_roundTripUnchanged() {
        for (String s : List.of("🔐", "a🔐b", "e\u0301", "\u00e9", "\uD83D\uDD10\uD83D\uDD10")) {
            String text = f.cipher.encryptString(s, "ctx🔐");
            assertEquals(s, f.cipher.decryptString(text, "ctx🔐"));
        }
        // no normalisation: NFD and NFC spellings of a context are different contexts
        byte[] ct = f.cipher.encrypt(new byte[] {1}, "Caf\u00e9");
        assertThrows(DecryptionFailedException.class, () -> f.cipher.decrypt(ct, "Cafe\u0301"));
    }

    @Test
    void decryptStringOfInvalidUtf8_isRefused_notReplacedWithU_FFFD() {
        for (byte[] bad : List.of(new byte[] {(byte) 0xFF}, new byte[] {'a', (byte) 0xC3}, new byte[] {(byte) 0xED,
                (byte) 0xA0, (byte) 0x80} /* encoded surrogate */, new byte[] {(byte) 0xC0, (byte) 0xAF} /* overlong */)) {
            String text = PropertyFormat.encodeText(f.cipher.encrypt(bad, "C"));
            TextEncodingException e = assertThrows(TextEncodingException.class, () -> f.cipher.decryptString(text, "C"));
            assertTrue(e.getMessage().contains("not valid UTF-8") && e.getMessage().contains("decrypt(byte[]"),
                    e.getMessage());
        }
    }

    @Test
    void blobContextWithUnpairedSurrogate_isRefusedBeforeAnyKeyIsFetched() {
        FixedDataKeySource keys = FixedDataKeySource.withRandomKey();
        BlobCipher blobs = new BlobCipher(keys);
        assertThrows(TextEncodingException.class,
                () -> blobs.encryptingStream(new ByteArrayOutputStream(), "Invoice\uD800"));
        assertThrows(TextEncodingException.class,
                () -> blobs.decryptingStream(new java.io.ByteArrayInputStream(new byte[0]), "Invoice\uD800"));
        assertEquals(0, keys.calls());
    }
}
