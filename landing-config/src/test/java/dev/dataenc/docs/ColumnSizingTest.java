package dev.dataenc.docs;

import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.PropertyCipher;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The column-sizing formulas of docs/COLUMN-SIZING.md hold for real ciphertexts. */
class ColumnSizingTest {

    /** Text form: {@code 11 + ceil(4 (n + 47) / 3)} characters for n plaintext bytes. */
    static int textLength(int n) {
        return 11 + (4 * (n + 47) + 2) / 3;
    }

    @Test
    void propertyCiphertexts_haveTheDocumentedLengths() {
        PropertyCipher cipher = new PropertyCipher(TestKeys.source());
        for (int n : new int[] {0, 1, 5, 15, 16, 17, 100, 136, 137, 1000}) {
            byte[] plain = new byte[n];
            assertEquals(n + 47, cipher.encrypt(plain, "C.f").length, "binary, n=" + n);
            assertEquals(textLength(n), cipher.encryptString("x".repeat(n), "C.f").length(), "text, n=" + n);
        }
    }

    @Test
    void varchar255_holds136Utf8Bytes() {
        PropertyCipher cipher = new PropertyCipher(TestKeys.source());
        assertEquals(255, cipher.encryptString("a".repeat(136), "C.f").length());
        assertTrue(cipher.encryptString("a".repeat(137), "C.f").length() > 255);
        assertEquals(255, cipher.encryptString("é".repeat(68), "C.f").length(), "68 two-byte characters");
        assertTrue("日".repeat(45).getBytes(StandardCharsets.UTF_8).length <= 136, "45 three-byte characters fit");
    }

    @Test
    void blobCiphertexts_haveTheDocumentedLengths() throws IOException {
        BlobCipher blobs = new BlobCipher(TestKeys.source());
        int s = blobs.segmentSize();
        for (int n : new int[] {0, 1, s - 1, s, s + 1, 3 * s}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            blobs.encrypt(new ByteArrayInputStream(new byte[n]), out, "Doc.body");
            int segments = Math.max(1, (n + s - 1) / s);
            assertEquals(62 + n + 16 * segments, out.size(), "n=" + n);
        }
    }
}
