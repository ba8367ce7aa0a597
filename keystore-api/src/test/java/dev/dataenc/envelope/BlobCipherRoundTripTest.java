package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static dev.dataenc.envelope.BlobTestSupport.SEGMENT;
import static dev.dataenc.envelope.BlobTestSupport.chunked;
import static dev.dataenc.envelope.BlobTestSupport.ciphertextLength;
import static dev.dataenc.envelope.BlobTestSupport.decrypt;
import static dev.dataenc.envelope.BlobTestSupport.encrypt;
import static dev.dataenc.envelope.BlobTestSupport.randomBytes;
import static dev.dataenc.envelope.BlobTestSupport.trickle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BlobCipherRoundTripTest {

    private final FixedDataKeySource keys = FixedDataKeySource.withRandomKey();
    private final BlobCipher cipher = new BlobCipher(keys, SEGMENT);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT, 3 * SEGMENT + 17, 7 * SEGMENT - 1})
    void convenienceMethods_roundTrip(int size) throws IOException {
        byte[] plain = randomBytes(size, size);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        assertEquals(size, cipher.encrypt(new ByteArrayInputStream(plain), ct, CONTEXT));
        assertEquals(ciphertextLength(size, SEGMENT), ct.size());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertEquals(size, cipher.decrypt(new ByteArrayInputStream(ct.toByteArray()), back, CONTEXT));
        assertArrayEquals(plain, back.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 3 * SEGMENT + 5})
    void streams_roundTrip(int size) throws IOException {
        byte[] plain = randomBytes(size, 31L * size);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (OutputStream enc = cipher.encryptingStream(ct, CONTEXT)) {
            enc.write(plain);
        }
        assertEquals(ciphertextLength(size, SEGMENT), ct.size());
        try (InputStream dec = cipher.decryptingStream(new ByteArrayInputStream(ct.toByteArray()), CONTEXT)) {
            assertArrayEquals(plain, dec.readAllBytes());
            assertEquals(-1, dec.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 1000, 4095, 4097, 9999})
    void smallOddChunks_roundTrip(int chunk) throws IOException {
        byte[] plain = randomBytes(5 * SEGMENT + 123, chunk);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (OutputStream enc = cipher.encryptingStream(chunked(ct, chunk), CONTEXT)) {
            for (int off = 0; off < plain.length; off += chunk) {
                enc.write(plain, off, Math.min(chunk, plain.length - off));
            }
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream dec = cipher.decryptingStream(trickle(new ByteArrayInputStream(ct.toByteArray()), chunk), CONTEXT)) {
            byte[] buf = new byte[chunk];
            int n;
            while ((n = dec.read(buf)) >= 0) {
                back.write(buf, 0, n);
            }
        }
        assertArrayEquals(plain, back.toByteArray());
    }

    @Test
    void singleByteWritesAndReads_roundTrip() throws IOException {
        byte[] plain = randomBytes(2 * SEGMENT + 3, 5);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (OutputStream enc = cipher.encryptingStream(ct, CONTEXT)) {
            for (byte b : plain) {
                enc.write(b);
            }
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream dec = cipher.decryptingStream(trickle(new ByteArrayInputStream(ct.toByteArray()), 1), CONTEXT)) {
            int b;
            while ((b = dec.read()) >= 0) {
                back.write(b);
            }
        }
        assertArrayEquals(plain, back.toByteArray());
    }

    @Test
    void mixedApis_interoperate() throws IOException {
        byte[] plain = randomBytes(3 * SEGMENT + 99, 8);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (OutputStream enc = cipher.encryptingStream(ct, CONTEXT)) {
            enc.write(plain, 0, 10);
            enc.write(plain[10]);
            enc.write(plain, 11, plain.length - 11);
        }
        assertArrayEquals(plain, decrypt(cipher, ct.toByteArray(), CONTEXT));
        byte[] viaConvenience = encrypt(cipher, plain, CONTEXT);
        try (InputStream dec = cipher.decryptingStream(new ByteArrayInputStream(viaConvenience), CONTEXT)) {
            assertArrayEquals(plain, dec.readAllBytes());
        }
    }

    @Test
    void randomSizesAndChunking_roundTrip() throws IOException {
        Random r = new Random(42);
        for (int i = 0; i < 40; i++) {
            int size = r.nextInt(6 * SEGMENT);
            byte[] plain = randomBytes(size, r.nextLong());
            int wchunk = 1 + r.nextInt(3 * SEGMENT);
            ByteArrayOutputStream ct = new ByteArrayOutputStream();
            try (OutputStream enc = cipher.encryptingStream(ct, CONTEXT)) {
                for (int off = 0; off < size; off += wchunk) {
                    enc.write(plain, off, Math.min(wchunk, size - off));
                }
            }
            int rchunk = 1 + r.nextInt(2 * SEGMENT);
            try (InputStream dec = cipher.decryptingStream(trickle(new ByteArrayInputStream(ct.toByteArray()), rchunk), CONTEXT)) {
                assertArrayEquals(plain, dec.readAllBytes(), "size " + size + " write " + wchunk + " read " + rchunk);
            }
        }
    }

    @Test
    void defaultSegmentSize_roundTripsSeveralSegments() throws IOException {
        BlobCipher dflt = new BlobCipher(keys);
        assertEquals(64 * 1024, dflt.segmentSize());
        byte[] plain = randomBytes(3 * 65536 + 1, 77);
        byte[] ct = encrypt(dflt, plain, CONTEXT);
        assertEquals(ciphertextLength(plain.length, 65536), ct.length);
        // decryption uses the size in the header, whatever the decrypting cipher's own size
        assertArrayEquals(plain, decrypt(cipher, ct, CONTEXT));
    }

    @Test
    void largeSegment_roundTripsThroughChunkedCipherCalls() throws IOException {
        BlobCipher big = new BlobCipher(keys, 1024 * 1024);
        byte[] plain = randomBytes(2 * 1024 * 1024 + 5, 3);
        assertArrayEquals(plain, decrypt(big, encrypt(big, plain, CONTEXT), CONTEXT));
    }

    @Test
    void twoEncryptions_differ() throws IOException {
        byte[] plain = randomBytes(100, 1);
        byte[] a = encrypt(cipher, plain, CONTEXT);
        byte[] b = encrypt(cipher, plain, CONTEXT);
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 23, 62), Arrays.copyOfRange(b, 23, 62)), "salt and nonce prefix are random");
    }

    @Test
    void finish_leavesUnderlyingStreamOpen() throws IOException {
        byte[] plain = randomBytes(SEGMENT + 1, 2);
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        EncryptingOutputStream enc = cipher.encryptingStream(sink, CONTEXT);
        enc.write(plain);
        enc.finish();
        assertFalse(closed[0]);
        assertEquals(keys.activeId(), enc.cdkId());
        assertEquals(plain.length, enc.plaintextBytes());
        assertThrows(IOException.class, () -> enc.write(1));
        enc.finish();
        enc.close();
        assertTrue(closed[0]);
        assertArrayEquals(plain, decrypt(cipher, sink.toByteArray(), CONTEXT));
    }

    @Test
    void convenienceMethods_doNotCloseCallerStreams() throws IOException {
        boolean[] closed = {false, false, false, false};
        byte[] plain = randomBytes(SEGMENT * 2, 4);
        ByteArrayOutputStream ct = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        cipher.encrypt(new ByteArrayInputStream(plain) {
            @Override
            public void close() {
                closed[1] = true;
            }
        }, ct, CONTEXT);
        ByteArrayOutputStream back = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[2] = true;
            }
        };
        cipher.decrypt(new ByteArrayInputStream(ct.toByteArray()) {
            @Override
            public void close() {
                closed[3] = true;
            }
        }, back, CONTEXT);
        assertArrayEquals(new boolean[] {false, false, false, false}, closed);
        assertArrayEquals(plain, back.toByteArray());
    }

    @Test
    void emptyContext_andUnicodeContext_roundTrip() throws IOException {
        byte[] plain = randomBytes(10, 9);
        assertArrayEquals(plain, decrypt(cipher, encrypt(cipher, plain, ""), ""));
        assertArrayEquals(plain, decrypt(cipher, encrypt(cipher, plain, "Kunde.straße"), "Kunde.straße"));
    }
}
