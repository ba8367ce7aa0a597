package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static dev.dataenc.envelope.BlobTestSupport.SEGMENT;
import static dev.dataenc.envelope.BlobTestSupport.decrypt;
import static dev.dataenc.envelope.BlobTestSupport.encrypt;
import static dev.dataenc.envelope.BlobTestSupport.randomBytes;
import static dev.dataenc.envelope.BlobTestSupport.readUntilFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.DataEncException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Every kind of damage to a BLOB ciphertext fails typed, and releases no unverified plaintext. */
class BlobCipherTamperTest {

    private static final int H = BlobFormat.HEADER_LENGTH;
    private static final int CT_SEG = SEGMENT + BlobFormat.TAG_LENGTH;
    private static final int SEGMENTS = 4;

    private final BlobCipher cipher = new BlobCipher(FixedDataKeySource.withRandomKey(), SEGMENT);
    // 4 segments: three full, the last one 100 bytes
    private final byte[] plain = randomBytes(3 * SEGMENT + 100, 1);
    private final byte[] ct;

    BlobCipherTamperTest() throws IOException {
        ct = encrypt(cipher, plain, CONTEXT);
        assertEquals(H + 3 * CT_SEG + 100 + 16, ct.length);
    }

    private static int segStart(int i) {
        return H + i * CT_SEG;
    }

    /** Decrypts through the stream, asserts a failure of {@code type}, and that only a verified prefix was released. */
    private <T extends DataEncException> T assertFailsReleasingOnlyPrefix(byte[] damaged, Class<T> type, String what) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        RuntimeException e = readUntilFailure(cipher.decryptingStream(new ByteArrayInputStream(damaged), CONTEXT), got);
        assertNotNull(e, what + ": expected a failure");
        T typed = assertInstanceOf(type, e, what);
        byte[] released = got.toByteArray();
        assertEquals(0, released.length % SEGMENT, what + ": only whole verified segments may be released");
        assertArrayEquals(Arrays.copyOf(plain, released.length), released, what + ": released bytes must be the true prefix");
        // again with reads big enough to decrypt straight into the caller's array
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        RuntimeException again = readUntilFailure(cipher.decryptingStream(new ByteArrayInputStream(damaged), CONTEXT), direct, 3 * SEGMENT);
        assertEquals(e.getClass(), again == null ? null : again.getClass(), what + " (large reads)");
        assertArrayEquals(released, direct.toByteArray(), what + " (large reads)");
        return typed;
    }

    @Test
    void flippedHeaderByte_failsTypedAtEveryPosition() {
        for (int i = 0; i < H; i++) {
            byte[] bad = ct.clone();
            bad[i] ^= 0x01;
            DataEncException e = assertFailsReleasingOnlyPrefix(bad, DataEncException.class, "header byte " + i);
            Class<?> expected = i < 3 ? MalformedCiphertextException.class
                    : i < 19 ? UnknownCdkException.class
                    : DecryptionFailedException.class;
            if (i >= 19 && i < 23) {
                // a changed segment size is either out of range (malformed) or yields another key
                assertTrue(e instanceof MalformedCiphertextException || e instanceof DecryptionFailedException, "byte " + i + ": " + e);
            } else {
                assertInstanceOf(expected, e, "header byte " + i);
            }
            assertEquals(0, releasedBefore(bad), "header byte " + i);
        }
    }

    @Test
    void flippedSegmentByte_failsAtThatSegment() {
        for (int s = 0; s < SEGMENTS; s++) {
            int start = segStart(s);
            int end = s == SEGMENTS - 1 ? ct.length : segStart(s + 1);
            int[] positions = {start, start + 1, (start + end) / 2, end - 17, end - 16, end - 8, end - 1};
            for (int p : positions) {
                byte[] bad = ct.clone();
                bad[p] ^= (byte) 0x80;
                assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "segment " + s + " byte " + p);
                assertEquals(s * SEGMENT, releasedBefore(bad), "segment " + s + " byte " + p);
            }
        }
    }

    @Test
    void truncation_failsAtEveryBoundaryAndInsideSegments() {
        for (int len = 0; len < ct.length; len += (len < H + 40 ? 1 : 97)) {
            checkTruncated(len);
        }
        for (int s = 1; s <= SEGMENTS; s++) {
            int boundary = s == SEGMENTS ? ct.length : segStart(s);
            for (int d = -17; d <= 1; d++) {
                if (boundary + d < ct.length) {
                    checkTruncated(boundary + d);
                }
            }
        }
    }

    private void checkTruncated(int len) {
        byte[] bad = Arrays.copyOf(ct, len);
        Class<? extends DataEncException> expected = len < H ? MalformedCiphertextException.class : DecryptionFailedException.class;
        assertFailsReleasingOnlyPrefix(bad, expected, "truncated to " + len);
    }

    @Test
    void truncationAtSegmentBoundary_isNotMistakenForTheEnd() {
        for (int s = 1; s < SEGMENTS; s++) {
            byte[] bad = Arrays.copyOf(ct, segStart(s));
            DecryptionFailedException e = assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "cut after " + s);
            assertTrue(e.getMessage().contains("segment " + (s - 1)) || e.getMessage().contains("segment " + s), e.getMessage());
        }
    }

    @Test
    void removedMiddleSegment_fails() {
        byte[] bad = concat(Arrays.copyOf(ct, segStart(1)), Arrays.copyOfRange(ct, segStart(2), ct.length));
        assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "segment 1 removed");
        assertEquals(SEGMENT, releasedBefore(bad));
    }

    @Test
    void swappedSegments_failAndReleaseOnlyTheTruePrefix() {
        byte[] bad = ct.clone();
        System.arraycopy(ct, segStart(2), bad, segStart(1), CT_SEG);
        System.arraycopy(ct, segStart(1), bad, segStart(2), CT_SEG);
        assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "segments 1 and 2 swapped");
        assertEquals(SEGMENT, releasedBefore(bad));
    }

    @Test
    void duplicatedSegment_fails() {
        byte[] bad = concat(Arrays.copyOf(ct, segStart(2)), Arrays.copyOfRange(ct, segStart(1), ct.length));
        assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "segment 1 duplicated");
        assertEquals(2 * SEGMENT, releasedBefore(bad));
    }

    @Test
    void appendedByte_fails() {
        byte[] bad = Arrays.copyOf(ct, ct.length + 1);
        assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "one byte appended");
        assertEquals(3 * SEGMENT, releasedBefore(bad));
    }

    @Test
    void appendedWholeSegment_fails() throws IOException {
        // a BLOB whose length is a multiple of the segment size, then its last segment again
        byte[] exact = randomBytes(2 * SEGMENT, 3);
        byte[] c = encrypt(cipher, exact, CONTEXT);
        byte[] bad = concat(c, Arrays.copyOfRange(c, segStart(1), c.length));
        assertFailsReleasingOnlyPrefixOf(exact, bad);
        // and a segment from another BLOB appended
        byte[] other = encrypt(cipher, randomBytes(SEGMENT, 4), CONTEXT);
        assertFailsReleasingOnlyPrefixOf(exact, concat(c, Arrays.copyOfRange(other, H, other.length)));
    }

    private void assertFailsReleasingOnlyPrefixOf(byte[] truth, byte[] damaged) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        RuntimeException e = readUntilFailure(cipher.decryptingStream(new ByteArrayInputStream(damaged), CONTEXT), got);
        assertInstanceOf(DecryptionFailedException.class, e);
        assertArrayEquals(Arrays.copyOf(truth, got.size()), got.toByteArray());
    }

    @Test
    void segmentFromAnotherBlob_fails() throws IOException {
        byte[] other = encrypt(cipher, plain, CONTEXT);
        byte[] bad = ct.clone();
        System.arraycopy(other, segStart(1), bad, segStart(1), CT_SEG);
        assertFailsReleasingOnlyPrefix(bad, DecryptionFailedException.class, "segment 1 from another BLOB");
    }

    @Test
    void afterFailure_streamKeepsFailing() throws IOException {
        byte[] bad = ct.clone();
        bad[segStart(1) + 5] ^= 1;
        InputStream in = cipher.decryptingStream(new ByteArrayInputStream(bad), CONTEXT);
        byte[] first = in.readNBytes(SEGMENT);
        assertArrayEquals(Arrays.copyOf(plain, SEGMENT), first);
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class, in::read);
        assertSame(e, assertThrows(DecryptionFailedException.class, in::read));
        assertThrows(DecryptionFailedException.class, () -> in.read(new byte[10]));
        assertThrows(DecryptionFailedException.class, () -> in.transferTo(new ByteArrayOutputStream()));
        assertFalse(e.getMessage().contains(new String(plain, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1)));
        in.close();
    }

    @Test
    void failedDirectRead_leavesNoPlaintextInCallersArray() throws IOException {
        byte[] bad = ct.clone();
        bad[segStart(1) + 5] ^= 1;
        InputStream in = cipher.decryptingStream(new ByteArrayInputStream(bad), CONTEXT);
        byte[] buf = new byte[2 * SEGMENT];
        assertEquals(SEGMENT, in.read(buf, 0, buf.length));
        assertArrayEquals(Arrays.copyOf(plain, SEGMENT), Arrays.copyOf(buf, SEGMENT));
        assertThrows(DecryptionFailedException.class, () -> in.read(buf, 0, buf.length));
        assertArrayEquals(new byte[buf.length], buf, "the failed segment's output range is zeroed");
    }

    @Test
    void convenienceDecrypt_failsOnTamper() {
        byte[] bad = ct.clone();
        bad[ct.length - 1] ^= 1;
        assertThrows(DecryptionFailedException.class, () -> decrypt(cipher, bad, CONTEXT));
    }

    private long releasedBefore(byte[] damaged) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        readUntilFailure(cipher.decryptingStream(new ByteArrayInputStream(damaged), CONTEXT), got);
        return got.size();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void finishWhoseFlushFails_thenClose_closesQuietlyInsteadOfEncryptingTheLastSegmentAgain() throws IOException {
        boolean[] closedUnderlying = {false};
        OutputStream failingFlush = new java.io.ByteArrayOutputStream() {
            @Override
            public void flush() throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void close() {
                closedUnderlying[0] = true;
            }
        };
        EncryptingOutputStream enc = cipher.encryptingStream(failingFlush, "ctx");
        enc.write(new byte[100]);
        assertEquals("disk full", assertThrows(IOException.class, enc::finish).getMessage());
        enc.close(); // before: tried the last segment again with the wiped key and threw IllegalStateException
        assertTrue(closedUnderlying[0]);
        assertThrows(IOException.class, () -> enc.write(1), "the stream is closed");
    }
}
