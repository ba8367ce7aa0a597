package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ChunkedBinaryStreamTest {

    private static final byte[] VALUE = new SeededBytes(9, 10_007).readAllBytes();

    @Test
    void valueReadInChunksWithAFirstPart_isReadWholeAndInOrder() throws IOException {
        ChunkedBinaryStream in = new ChunkedBinaryStream(Arrays.copyOf(VALUE, 100), VALUE.length, 1000,
                (offset, count) -> Arrays.copyOfRange(VALUE, (int) offset, (int) offset + count));
        byte[] first = new byte[]{(byte) in.read()};
        byte[] rest = in.readAllBytes();
        assertArrayEquals(VALUE, concat(first, rest));
    }

    @Test
    void chunkShorterThanAsked_isAnIOException() {
        ChunkedBinaryStream in = new ChunkedBinaryStream(new byte[0], VALUE.length, 4096,
                (offset, count) -> Arrays.copyOfRange(VALUE, (int) offset, (int) Math.min(offset + count, 5000)));
        assertThrows(IOException.class, in::readAllBytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
