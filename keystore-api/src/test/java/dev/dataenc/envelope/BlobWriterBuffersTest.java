package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a BLOB writer allocates: a small BLOB does not allocate or wipe a whole segment (the old writer made a 64 KiB
 * plaintext buffer and a 64 KiB output buffer per BLOB and zeroed the first twice, most of the cost of a 4 KiB BLOB).
 * The buffer grows with the bytes written; every way of writing gives the same ciphertext layout and plaintext back.
 */
class BlobWriterBuffersTest {

    private final FixedDataKeySource keys = FixedDataKeySource.withRandomKey();
    private final BlobCipher blobs = new BlobCipher(keys);

    @BeforeEach
    void noSpares() {
        BufferPool.clearForTest(); // the allocation policy is what a thread without spares does
    }

    @Test
    void smallBlob_buffersInProportion_andTheBufferIsZeroedAfterFinish() throws IOException {
        byte[] plain = BlobTestSupport.randomBytes(100, 1);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        EncryptingOutputStream out = blobs.encryptingStream(ct, CONTEXT);
        out.write(plain);
        assertEquals(EncryptingOutputStream.INITIAL_BUFFER, out.bufferedCapacity(), "no output buffer before encrypting");
        byte[] buffer = out.bufferForTest();
        out.finish();
        assertEquals(0, out.bufferedCapacity(), "buffers given back");
        assertTrue(isZero(buffer), "plaintext wiped");
        assertTrue(BufferPool.sparesForTest().isEmpty(), "a stream handed to the application uses no spares");
        assertArrayEquals(plain, BlobTestSupport.decrypt(blobs, ct.toByteArray(), CONTEXT));
    }

    @Test
    void bufferGrowsToOneSegment_andOldBuffersAreZeroed() throws IOException {
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        EncryptingOutputStream out = blobs.encryptingStream(ct, CONTEXT);
        byte[] first = out.bufferForTest();
        out.write(BlobTestSupport.randomBytes(BlobFormat.DEFAULT_SEGMENT_SIZE, 2));
        assertEquals(BlobFormat.DEFAULT_SEGMENT_SIZE, out.bufferForTest().length, "one segment at most");
        assertTrue(isZero(first), "the buffer that was outgrown held plaintext and is zeroed");
        byte[] second = out.bufferForTest();
        out.close();
        assertTrue(isZero(second));
    }

    /** Sizes around the growth steps (8, 16, 32 KiB) and the segment size (64 KiB), written three ways. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8191, 8192, 8193, 16385, 32768, 65535, 65536, 65537, 139_265, 200_000})
    void everyWayOfWriting_roundTrips_withTheSameLength(int size) throws IOException {
        byte[] plain = BlobTestSupport.randomBytes(size, size);

        ByteArrayOutputStream viaTransfer = new ByteArrayOutputStream();
        blobs.encrypt(new ByteArrayInputStream(plain), viaTransfer, CONTEXT);

        ByteArrayOutputStream viaChunks = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = blobs.encryptingStream(viaChunks, CONTEXT)) {
            for (int off = 0, step = 1; off < size; off += step, step = step * 3 % 10_007 + 1) {
                out.write(plain, off, Math.min(step, size - off));
            }
        }

        ByteArrayOutputStream viaBytes = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = blobs.encryptingStream(viaBytes, CONTEXT)) {
            for (byte b : plain) {
                out.write(b);
            }
        }

        for (ByteArrayOutputStream ct : new ByteArrayOutputStream[] {viaTransfer, viaChunks, viaBytes}) {
            assertEquals(viaTransfer.size(), ct.size(), "same segmentation whatever the writes");
            assertArrayEquals(plain, BlobTestSupport.decrypt(blobs, ct.toByteArray(), CONTEXT));
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
