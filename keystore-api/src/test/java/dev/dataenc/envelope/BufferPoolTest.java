package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferPool}: the whole-BLOB methods on one thread reuse each other's buffers, a spare never holds plaintext,
 * an array is never handed to two owners, the plaintext handed to a sink is never in a spare, streams handed to the
 * application do not use spares, and everything still round-trips.
 */
class BufferPoolTest {

    private final FixedDataKeySource keys = FixedDataKeySource.withRandomKey();
    private final BlobCipher blobs = new BlobCipher(keys);

    @BeforeEach
    void noSpares() {
        BufferPool.clearForTest();
    }

    @Test
    void take_largestFittingSpare_onlyOnce_elseANewArray() {
        byte[] a = new byte[8 * 1024];
        byte[] b = new byte[64 * 1024];
        BufferPool.give(a);
        BufferPool.give(b);
        assertTrue(b == BufferPool.take(5000, Integer.MAX_VALUE), "largest that fits");
        assertTrue(a == BufferPool.take(5000, Integer.MAX_VALUE));
        byte[] fresh = BufferPool.take(5000, Integer.MAX_VALUE);
        assertFalse(a == fresh || b == fresh);
        assertEquals(5000, fresh.length, "none left: a new array of the size asked");
        BufferPool.give(b);
        assertEquals(9000, BufferPool.take(9000, 10_000).length, "a spare above the maximum is not handed out");
        BufferPool.give(a);
        assertTrue(b == BufferPool.take(9000, 64 * 1024));
    }

    @Test
    void give_ignoresDuplicatesAndSizesOutsideTheRange_andKeepsTheLargest() {
        byte[] a = new byte[8 * 1024];
        BufferPool.give(a);
        BufferPool.give(a);
        assertEquals(1, BufferPool.sparesForTest().size(), "the same array twice would have two owners");
        BufferPool.give(new byte[BufferPool.MIN_POOLED - 1]);
        BufferPool.give(new byte[BufferPool.MAX_POOLED + 1]);
        BufferPool.give(null);
        assertEquals(1, BufferPool.sparesForTest().size());
        for (int i = 0; i < BufferPool.SLOTS; i++) {
            BufferPool.give(new byte[16 * 1024 + i]);
        }
        List<byte[]> spares = BufferPool.sparesForTest();
        assertEquals(BufferPool.SLOTS, spares.size());
        assertFalse(spares.contains(a), "the smallest made way for a larger one");
    }

    @Test
    void sparesArePerThread() throws Exception {
        byte[] a = new byte[8 * 1024];
        BufferPool.give(a);
        byte[] other = CompletableFuture.supplyAsync(() -> BufferPool.take(8 * 1024, 8 * 1024)).get();
        assertFalse(a == other);
        assertTrue(a == BufferPool.take(8 * 1024, 8 * 1024));
    }

    @Test
    void secondBlobOnAThread_isReadIntoASpareTheFirstGaveBack_andRoundTrips() throws IOException {
        byte[] first = BlobTestSupport.randomBytes(50_000, 1);
        byte[] second = BlobTestSupport.randomBytes(50_000, 2);
        blobs.encrypt(new ByteArrayInputStream(first), new ByteArrayOutputStream(), CONTEXT);
        List<byte[]> spares = BufferPool.sparesForTest();
        assertFalse(spares.isEmpty());
        RecordingInput two = new RecordingInput(second);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        blobs.encrypt(two, ct, CONTEXT);
        assertTrue(two.arrays.stream().allMatch(a -> spares.stream().anyMatch(b -> b == a)),
                "the second BLOB is read into a spare of the first one, not into a new array");
        assertArrayEquals(second, BlobTestSupport.decrypt(blobs, ct.toByteArray(), CONTEXT));
    }

    @Test
    void decryptedPlaintext_reachesTheSinkInAnArrayThatIsNeverASpare() throws IOException {
        byte[] plain = BlobTestSupport.randomBytes(150_000, 5);
        byte[] ct = BlobTestSupport.encrypt(blobs, plain, CONTEXT);
        RecordingOutput sink = new RecordingOutput();
        blobs.decrypt(new ByteArrayInputStream(ct), sink, CONTEXT);
        RecordingOutput again = new RecordingOutput();
        blobs.decrypt(new ByteArrayInputStream(ct), again, CONTEXT);
        assertArrayEquals(plain, sink.bytes.toByteArray());
        assertArrayEquals(plain, again.bytes.toByteArray());
        for (byte[] given : sink.arrays) {
            assertFalse(again.arrays.stream().anyMatch(b -> b == given), "a sink that kept the array it was given"
                    + " would see the next BLOB's plaintext");
            assertFalse(BufferPool.sparesForTest().stream().anyMatch(b -> b == given));
        }
    }

    @Test
    void onlyTheJdksCopyingOrDroppingSinks_count() throws IOException {
        assertTrue(BufferPool.copiesOrDrops(new ByteArrayOutputStream()));
        assertTrue(BufferPool.copiesOrDrops(java.io.OutputStream.nullOutputStream()));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("dataenc-pool", ".bin");
        try (java.io.FileOutputStream f = new java.io.FileOutputStream(file.toFile())) {
            assertTrue(BufferPool.copiesOrDrops(f));
            assertFalse(BufferPool.copiesOrDrops(new java.io.BufferedOutputStream(f)), "passes large writes on");
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertFalse(BufferPool.copiesOrDrops(new ByteArrayOutputStream() { }), "a subclass may keep the array");
        assertFalse(BufferPool.copiesOrDrops(new RecordingOutput()));
    }

    @Test
    void decryptingIntoAByteArray_plaintextBufferIsASpareAfterwards_zeroed() throws IOException {
        byte[] plain = BlobTestSupport.randomBytes(150_000, 7);
        byte[] ct = BlobTestSupport.encrypt(blobs, plain, CONTEXT);
        BufferPool.clearForTest();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blobs.decrypt(new ByteArrayInputStream(ct), out, CONTEXT);
        assertArrayEquals(plain, out.toByteArray());
        List<byte[]> spares = BufferPool.sparesForTest();
        assertEquals(2, spares.size(), "ciphertext and plaintext buffers");
        assertTrue(spares.stream().anyMatch(b -> b.length == BlobFormat.DEFAULT_SEGMENT_SIZE), "the plaintext buffer");
        assertNoPlaintext(plain);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        blobs.decrypt(new ByteArrayInputStream(ct), again, CONTEXT);
        assertArrayEquals(plain, again.toByteArray());
        assertEquals(2, BufferPool.sparesForTest().size(), "the same two, taken and given back");
        assertNoPlaintext(plain);
    }

    @Test
    void streamsHandedToTheApplication_neverTouchTheSpares() throws IOException {
        byte[] spare = new byte[64 * 1024 + 17];
        BufferPool.give(spare);
        byte[] plain = BlobTestSupport.randomBytes(100_000, 6);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = blobs.encryptingStream(ct, CONTEXT)) {
            out.write(plain);
        }
        try (InputStream in = blobs.decryptingStream(new ByteArrayInputStream(ct.toByteArray()), CONTEXT)) {
            assertArrayEquals(plain, in.readAllBytes());
        }
        List<byte[]> spares = BufferPool.sparesForTest();
        assertEquals(1, spares.size(), "nothing taken, nothing given: such a stream may be closed from another thread");
        assertTrue(spares.get(0) == spare);
    }

    /** Hands out {@code data} and remembers each array it was asked to read into. */
    private static final class RecordingInput extends ByteArrayInputStream {
        final List<byte[]> arrays = new java.util.ArrayList<>();

        RecordingInput(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            arrays.add(b);
            return super.read(b, off, len);
        }
    }

    /** Keeps what is written, and remembers each array it was given. */
    private static final class RecordingOutput extends java.io.OutputStream {
        final List<byte[]> arrays = new java.util.ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            arrays.add(b);
            bytes.write(b, off, len);
        }
    }

    @Test
    void afterEncryptingAndDecrypting_noSpareHoldsPlaintext() throws IOException {
        byte[] plain = BlobTestSupport.randomBytes(150_000, 3); // three segments
        byte[] ct = BlobTestSupport.encrypt(blobs, plain, CONTEXT);
        assertNoPlaintext(plain);
        assertArrayEquals(plain, BlobTestSupport.decrypt(blobs, ct, CONTEXT));
        assertNoPlaintext(plain);
        assertFalse(BufferPool.sparesForTest().isEmpty(), "the streams gave their buffers back");
    }

    @Test
    void failedDecryption_givesBuffersBackWithoutPlaintext_andLaterStreamsRoundTrip() throws IOException {
        byte[] plain = BlobTestSupport.randomBytes(150_000, 4);
        byte[] ct = BlobTestSupport.encrypt(blobs, plain, CONTEXT);
        byte[] bad = ct.clone();
        bad[bad.length - 100] ^= 1; // the last segment fails after two good ones
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        assertThrows(DecryptionFailedException.class, () -> blobs.decrypt(new ByteArrayInputStream(bad), partial, CONTEXT));
        assertEquals(2 * BlobFormat.DEFAULT_SEGMENT_SIZE, partial.size(), "the two good segments");
        assertNoPlaintext(plain);
        assertFalse(BufferPool.sparesForTest().isEmpty(), "the failed stream gave its buffers back");
        for (int i = 0; i < 3; i++) {
            byte[] p = BlobTestSupport.randomBytes(70_000 + i, 10 + i);
            assertArrayEquals(p, BlobTestSupport.decrypt(blobs, BlobTestSupport.encrypt(blobs, p, CONTEXT), CONTEXT));
        }
    }

    /** No 32-byte window of {@code plain} appears in any spare. */
    private static void assertNoPlaintext(byte[] plain) {
        for (byte[] spare : BufferPool.sparesForTest()) {
            for (int at = 0; at + 32 <= plain.length; at += 1024) {
                assertFalse(contains(spare, plain, at), "a spare of " + spare.length + " bytes holds plaintext");
            }
        }
    }

    private static boolean contains(byte[] hay, byte[] plain, int at) {
        outer:
        for (int i = 0; i + 32 <= hay.length; i++) {
            for (int j = 0; j < 32; j++) {
                if (hay[i + j] != plain[at + j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
