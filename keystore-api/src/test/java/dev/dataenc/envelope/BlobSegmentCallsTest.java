package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static dev.dataenc.envelope.BlobTestSupport.encrypt;
import static dev.dataenc.envelope.BlobTestSupport.randomBytes;
import static dev.dataenc.envelope.BlobTestSupport.readUntilFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * How segments are handed to the JDK cipher: decryption is one GCM call per segment whatever its size
 * (no staging of long segments inside the JDK), encryption of an ordinary segment is one update, one doFinal
 * and one write of ciphertext || tag; long segments keep authenticating and failing per segment.
 */
class BlobSegmentCallsTest {

    private static final int BIG = 1024 * 1024; // above SegmentCipher.CHUNK
    private static final int H = BlobFormat.HEADER_LENGTH;
    private static final int T = BlobFormat.TAG_LENGTH;

    private final DataKeySource keys = FixedDataKeySource.withRandomKey();
    private final BlobCipher big = new BlobCipher(keys, BIG);

    @Test
    void ordinarySegment_isWrittenAsOneWriteOfCiphertextAndTag() throws IOException {
        BlobCipher cipher = new BlobCipher(keys);
        int seg = cipher.segmentSize();
        byte[] plain = randomBytes(3 * seg + 10, 5);
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                all.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                all.write(b, off, len);
            }
        };
        cipher.encrypt(new ByteArrayInputStream(plain), recording, CONTEXT);
        assertEquals(List.of(H, seg + T, seg + T, seg + T, 10 + T), writes);
        assertArrayEquals(plain, BlobTestSupport.decrypt(cipher, all.toByteArray(), CONTEXT));
    }

    @Test
    void largeSegments_decryptWithoutAllocatingPerSegmentCopies() throws IOException {
        byte[] twoSegments = encrypt(big, randomBytes(2 * BIG - 7, 1), CONTEXT);
        byte[] tenSegments = encrypt(big, randomBytes(10 * BIG - 7, 2), CONTEXT);
        allocatedByDecrypt(tenSegments); // loads and links everything once
        long two = allocatedByDecrypt(twoSegments);
        long ten = allocatedByDecrypt(tenSegments);
        long perExtraSegment = (ten - two) / 8;
        // the reader's buffers are the same for both; a JDK that stages each long segment (Cipher.update in
        // decrypt mode buffers internally) would allocate over a segment more per segment
        assertTrue(perExtraSegment < 64 * 1024, "heap allocated per extra 1 MiB segment: " + perExtraSegment + " bytes");
    }

    @Test
    void largeSegments_flippedByteInSecondSegment_releasesOnlyTheFirst() throws IOException {
        byte[] plain = randomBytes(3 * BIG + 100, 3);
        byte[] ct = encrypt(big, plain, CONTEXT);
        for (int pos : new int[] {H + (BIG + T), H + (BIG + T) + BIG / 2, H + 2 * (BIG + T) - 1}) {
            byte[] bad = ct.clone();
            bad[pos] ^= 0x40;
            assertReleasesOnlyPrefix(bad, plain, BIG, "byte " + pos + " of segment 1");
        }
    }

    @Test
    void largeSegments_truncatedAtSegmentBoundary_failsAfterReleasingTheVerifiedOnes() throws IOException {
        byte[] plain = randomBytes(3 * BIG + 100, 4);
        byte[] ct = encrypt(big, plain, CONTEXT);
        // drop the short last segment: the full-length segment 2 is now the last one, but was not sealed as last
        byte[] cut = Arrays.copyOf(ct, H + 3 * (BIG + T));
        assertReleasesOnlyPrefix(cut, plain, 2 * BIG, "cut after segment 2");
    }

    private void assertReleasesOnlyPrefix(byte[] damaged, byte[] plain, int verified, String what) {
        for (int readSize : new int[] {1000, 2 * BIG}) { // via the plaintext buffer, and straight into the caller's array
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            RuntimeException e = readUntilFailure(big.decryptingStream(new ByteArrayInputStream(damaged), CONTEXT), got, readSize);
            assertInstanceOf(DecryptionFailedException.class, e, what + ", reads of " + readSize);
            assertArrayEquals(Arrays.copyOf(plain, verified), got.toByteArray(), what + ", reads of " + readSize);
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        assertInstanceOf(DecryptionFailedException.class, assertThrows(RuntimeException.class,
                () -> big.decrypt(new ByteArrayInputStream(damaged), whole, CONTEXT)), what + ", decrypt");
        assertArrayEquals(Arrays.copyOf(plain, verified), whole.toByteArray(), what + ", decrypt");
    }

    private long allocatedByDecrypt(byte[] ciphertext) throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteArrayInputStream in = new ByteArrayInputStream(ciphertext);
        OutputStream sink = OutputStream.nullOutputStream();
        long before = mx.getCurrentThreadAllocatedBytes();
        big.decrypt(in, sink, CONTEXT);
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
