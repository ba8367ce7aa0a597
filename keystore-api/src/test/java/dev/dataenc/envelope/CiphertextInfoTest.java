package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static dev.dataenc.envelope.BlobTestSupport.SEGMENT;
import static dev.dataenc.envelope.BlobTestSupport.encrypt;
import static dev.dataenc.envelope.BlobTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CiphertextInfoTest {

    private final FixedDataKeySource keys = FixedDataKeySource.withRandomKey();

    @Test
    void textProperty_readsHeaderAndLengths() {
        String text = new PropertyCipher(keys).encryptString("ada@example.com", "Customer.email");

        CiphertextInfo info = CiphertextInfo.ofText(text + "\n");

        assertEquals(CiphertextInfo.Kind.PROPERTY, info.kind());
        assertEquals(CiphertextInfo.Encoding.TEXT, info.encoding());
        assertEquals(1, info.formatVersion());
        assertEquals(1, info.suiteId());
        assertEquals(keys.activeKey().cdkId(), info.cdkId());
        assertEquals(15 + PropertyCipher.OVERHEAD_BYTES, info.ciphertextBytes());
        assertEquals(15, info.plaintextBytes());
        assertEquals(0, info.segmentCount());
    }

    @Test
    void binaryProperty_fromItsFirstBytesOnly() {
        byte[] ct = new PropertyCipher(keys).encrypt(new byte[500], "c");

        CiphertextInfo info = CiphertextInfo.ofBinary(Arrays.copyOf(ct, CiphertextInfo.PROBE_LENGTH), ct.length);

        assertEquals(CiphertextInfo.Kind.PROPERTY, info.kind());
        assertEquals(CiphertextInfo.Encoding.BINARY, info.encoding());
        assertEquals(500, info.plaintextBytes());
        assertFalse(CiphertextInfo.looksLikeText(ct));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 3 * SEGMENT + 17})
    void blob_segmentCountAndPlaintextLengthFromTheFileLength(int size) throws IOException {
        byte[] ct = encrypt(new BlobCipher(keys, SEGMENT), randomBytes(size, size), CONTEXT);

        CiphertextInfo info = CiphertextInfo.ofBinary(Arrays.copyOf(ct, CiphertextInfo.PROBE_LENGTH), ct.length);

        assertEquals(CiphertextInfo.Kind.BLOB, info.kind());
        assertEquals(2, info.suiteId());
        assertEquals(SEGMENT, info.segmentSize());
        assertEquals(Math.max(1, (size + SEGMENT - 1) / SEGMENT), info.segmentCount());
        assertEquals(size, info.plaintextBytes());
        assertEquals(keys.activeKey().cdkId(), info.cdkId());
    }

    @Test
    void blobTruncatedInsideTheLastTag_isMalformed() throws IOException {
        byte[] ct = encrypt(new BlobCipher(keys, SEGMENT), randomBytes(SEGMENT + 100, 1), CONTEXT);
        long cut = BlobFormat.HEADER_LENGTH + SEGMENT + BlobFormat.TAG_LENGTH + 10; // 10 bytes of the second segment

        MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class,
                () -> CiphertextInfo.ofBinary(Arrays.copyOf(ct, CiphertextInfo.PROBE_LENGTH), cut));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void blobHeaderOnly_isMalformed() throws IOException {
        byte[] ct = encrypt(new BlobCipher(keys, SEGMENT), new byte[0], CONTEXT);

        assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofBinary(ct, BlobFormat.HEADER_LENGTH));
    }

    @Test
    void foreignBytes_emptyInput_shortProperty_areMalformed() {
        byte[] pdf = "%PDF-1.7 a foreign file".getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofBinary(pdf, pdf.length))
                .getMessage().contains("first byte is 0x25"));
        assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofBinary(new byte[0], 0));
        byte[] ct = new PropertyCipher(keys).encrypt(new byte[3], "c");
        assertTrue(assertThrows(MalformedCiphertextException.class,
                () -> CiphertextInfo.ofBinary(ct, ct.length - 5)).getMessage().contains("too short"));
    }

    @Test
    void foreignOrDamagedText_isMalformed_withoutEchoingIt() {
        MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class,
                () -> CiphertextInfo.ofText("secret plaintext value"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofText("dataenc:v1:***"));
        assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofText("dataenc:v9:AAAA"));
        assertTrue(CiphertextInfo.looksLikeText("dataenc:v1:x".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void unknownVersionByte_isMalformed() {
        byte[] ct = new PropertyCipher(keys).encrypt(new byte[3], "c");
        ct[1] = 0x07;

        assertTrue(assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofBinary(ct, ct.length))
                .getMessage().contains("version 0x07"));
    }
}
