package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.DataEncException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every modification of a property ciphertext is rejected with a typed exception and releases nothing. */
class PropertyCipherTamperTest {

    private static final String CONTEXT = "Order.note";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private final PropertyFixture f = new PropertyFixture();
    private final byte[] plain = "tamper target 0123456789".getBytes(UTF_8);
    private final byte[] ct = f.cipher.encrypt(plain, CONTEXT);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void everySingleByteChange_isRejectedWithTypedException() {
        int checked = 0;
        for (int i = 0; i < ct.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = ct.clone();
                bad[i] ^= (byte) mask;
                DataEncException e = assertThrows(DataEncException.class, () -> f.cipher.decrypt(bad, CONTEXT),
                        "byte " + i + " xor " + mask);
                Class<?> expected = i < 3 ? MalformedCiphertextException.class
                        : i < 19 ? UnknownCdkException.class : DecryptionFailedException.class;
                assertInstanceOf(expected, e, "byte " + i + ": " + e);
                checked++;
            }
        }
        assertEquals(ct.length * 3, checked);
    }

    @Test
    void everyTruncation_isRejectedWithTypedException() {
        for (int len = 0; len < ct.length; len++) {
            byte[] cut = Arrays.copyOf(ct, len);
            DataEncException e = assertThrows(DataEncException.class, () -> f.cipher.decrypt(cut, CONTEXT));
            Class<?> expected = len < 47 ? MalformedCiphertextException.class : DecryptionFailedException.class;
            assertInstanceOf(expected, e, "length " + len);
        }
    }

    @Test
    void appendedBytes_areRejected() {
        for (int extra = 1; extra <= 20; extra++) {
            byte[] longer = Arrays.copyOf(ct, ct.length + extra);
            assertThrows(DecryptionFailedException.class, () -> f.cipher.decrypt(longer, CONTEXT));
        }
        byte[] doubled = Arrays.copyOf(ct, ct.length * 2);
        System.arraycopy(ct, 0, doubled, ct.length, ct.length);
        assertThrows(DecryptionFailedException.class, () -> f.cipher.decrypt(doubled, CONTEXT));
    }

    @Test
    void everyTextCharacterChangeDeletionAndAddition_isRejected() {
        String text = f.cipher.encryptString("tamper text target", CONTEXT);
        int checked = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int pos = ALPHABET.indexOf(c);
            char other = pos < 0 ? (c == 'x' ? 'y' : 'x') : ALPHABET.charAt((pos + 1) % 64);
            expectRejected(text.substring(0, i) + other + text.substring(i + 1));
            expectRejected(text.substring(0, i) + text.substring(i + 1));
            expectRejected(text.substring(0, i) + 'A' + text.substring(i));
            checked += 3;
        }
        expectRejected(text + "A");
        expectRejected(text + "AA");
        expectRejected(text + "=");
        expectRejected(text + "\n");
        expectRejected(" " + text);
        expectRejected(text.toUpperCase());
        assertTrue(checked > 100);
    }

    private void expectRejected(String mangled) {
        DataEncException e = assertThrows(DataEncException.class, () -> f.cipher.decryptString(mangled, CONTEXT),
                mangled);
        assertTrue(e instanceof MalformedCiphertextException || e instanceof DecryptionFailedException
                || e instanceof UnknownCdkException, e.toString());
    }
}
