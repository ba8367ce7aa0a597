package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.CiphertextLimitExceededException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.junit.jupiter.api.Test;

/** What a BLOB reader allocates and how it fails: segment-size cap, buffers in proportion, IOException kept. */
class BlobReaderLimitsTest {

    private final FixedDataKeySource keys = FixedDataKeySource.withRandomKey();

    private byte[] headerClaiming(int segmentSize) {
        return new BlobHeader(keys.activeId(), segmentSize, new byte[BlobFormat.SALT_LENGTH],
                new byte[BlobFormat.NONCE_PREFIX_LENGTH]).toBytes();
    }

    @Test
    void headerClaimingSixteenMib_isRefusedByDefaultReader_beforeAnyKeyIsFetched() throws IOException {
        BlobCipher blobs = new BlobCipher(keys);
        assertEquals(1024 * 1024, blobs.maxReadSegmentSize());
        InputStream in = blobs.decryptingStream(new ByteArrayInputStream(headerClaiming(BlobFormat.MAX_SEGMENT_SIZE)), CONTEXT);
        CiphertextLimitExceededException e = assertThrows(CiphertextLimitExceededException.class, () -> in.read());
        assertTrue(e.getMessage().contains("16777216") && e.getMessage().contains("1048576")
                && e.getMessage().contains("withMaxReadSegmentSize"), e.getMessage());
        assertThrows(CiphertextLimitExceededException.class, () -> in.read(new byte[10]));
        assertEquals(0, keys.calls(), "no registry/keystore work for a refused header");
    }

    @Test
    void blobWithTwoMibSegments_readsOnlyWithRaisedCap() throws IOException {
        BlobCipher writer = new BlobCipher(keys, 2 * 1024 * 1024);
        assertEquals(2 * 1024 * 1024, writer.maxReadSegmentSize(), "a writer reads its own segment size");
        byte[] plain = BlobTestSupport.randomBytes(3 * 1024 * 1024, 5);
        byte[] ct = BlobTestSupport.encrypt(writer, plain, CONTEXT);
        assertArrayEquals(plain, BlobTestSupport.decrypt(writer, ct, CONTEXT));
        BlobCipher reader = new BlobCipher(keys);
        assertThrows(CiphertextLimitExceededException.class, () -> BlobTestSupport.decrypt(reader, ct, CONTEXT));
        assertArrayEquals(plain, BlobTestSupport.decrypt(reader.withMaxReadSegmentSize(4 * 1024 * 1024), ct, CONTEXT));
        assertThrows(IllegalArgumentException.class, () -> reader.withMaxReadSegmentSize(BlobFormat.MAX_SEGMENT_SIZE + 1));
    }

    /** Old code allocated segment + tag + 1 and segment bytes (2 MiB here) as soon as the header was read. */
    @Test
    void shortStreamClaimingOneMibSegments_allocatesInProportionToBytesReceived() throws IOException {
        byte[] ct = new java.io.ByteArrayOutputStream() {
            {
                writeBytes(headerClaiming(1024 * 1024));
                writeBytes(new byte[100]);
            }
        }.toByteArray();
        DecryptingInputStream in = new DecryptingInputStream(new ByteArrayInputStream(ct), CONTEXT, keys, 1024 * 1024, true, false);
        BufferPool.clearForTest();
        assertThrows(DecryptionFailedException.class, () -> in.read(new byte[16]));
        assertEquals(0, in.bufferedCapacity(), "a failed stream gives its buffers back");
        long given = BufferPool.sparesForTest().stream().mapToLong(b -> b.length).sum();
        assertTrue(given <= DecryptingInputStream.INITIAL_BUFFER + 100, "buffered " + given);
    }

    @Test
    void readsOfWholeSegments_needNoPlaintextBuffer_smallReadsOneSegmentSized() throws IOException {
        BlobCipher blobs = new BlobCipher(keys, 64 * 1024);
        byte[] plain = BlobTestSupport.randomBytes(200_000, 6);
        byte[] ct = BlobTestSupport.encrypt(blobs, plain, CONTEXT);
        BufferPool.clearForTest();
        DecryptingInputStream big = new DecryptingInputStream(new ByteArrayInputStream(ct), CONTEXT, keys, 1 << 20, true, false);
        byte[] buf = new byte[64 * 1024];
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int n; (n = big.read(buf, 0, buf.length)) >= 0; ) {
            got.write(buf, 0, n);
        }
        assertArrayEquals(plain, got.toByteArray());
        assertEquals(0, big.bufferedCapacity(), "buffers given back at the end");
        assertEquals(java.util.List.of(64 * 1024 + 16 + 1), BufferPool.sparesForTest().stream().map(b -> b.length)
                .collect(java.util.stream.Collectors.toList()), "ciphertext buffer only");
        DecryptingInputStream small = new DecryptingInputStream(new ByteArrayInputStream(ct), CONTEXT, keys, 1 << 20);
        byte[] head = new byte[1000];
        assertEquals(1000, small.read(head));
        assertTrue(small.bufferedCapacity() <= 2L * (64 * 1024 + 17), "buffered " + small.bufferedCapacity());
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(head);
        small.transferTo(rest);
        assertArrayEquals(plain, rest.toByteArray());
        assertEquals(0, small.bufferedCapacity(), "buffers released at the end");
    }

    /** Old code threw the IOException once, then IllegalStateException on every later read. */
    @Test
    void sourceIoException_staysAnIoExceptionOnEveryRead() throws IOException {
        BlobCipher blobs = new BlobCipher(keys);
        byte[] ct = BlobTestSupport.encrypt(blobs, BlobTestSupport.randomBytes(200_000, 7), CONTEXT);
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(ct, 0, 70_000), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        });
        InputStream in = blobs.decryptingStream(failing, CONTEXT);
        byte[] buf = new byte[1000];
        IOException first = assertThrows(IOException.class, () -> {
            while (in.read(buf) >= 0) {
                // read until the source fails
            }
        });
        assertEquals("disk gone", first.getMessage());
        IOException again = assertThrows(IOException.class, () -> in.read(buf));
        assertTrue(again.getMessage().contains("disk gone"), again.getMessage());
        assertThrows(IOException.class, in::read);
        assertThrows(IOException.class, () -> in.transferTo(new ByteArrayOutputStream()));
    }

    @Test
    void sourceIoExceptionWhileReadingHeader_staysAnIoException() {
        BlobCipher blobs = new BlobCipher(keys);
        InputStream in = blobs.decryptingStream(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("network reset");
            }
        }, CONTEXT);
        assertThrows(IOException.class, in::read);
        assertThrows(IOException.class, in::read);
        assertEquals(0, keys.calls());
    }
}
