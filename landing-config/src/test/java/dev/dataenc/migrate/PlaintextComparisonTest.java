package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link PlaintextComparison}: equal streams compare equal however they are cut into reads and writes, across GCM
 * rounds; a changed, missing or extra byte anywhere, including at a round boundary, compares different.
 */
class PlaintextComparisonTest {

    private static final int ROUND = 1000;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Reads {@code a} through the first side in reads of {@code readSize} (1: single-byte reads and skips). */
    private static boolean compare(byte[] a, byte[] b, int readSize, int writeSize) throws IOException {
        try (PlaintextComparison c = PlaintextComparison.withRound(ROUND)) {
            InputStream in = c.first(new ByteArrayInputStream(a));
            if (readSize == 1) {
                int i = 0;
                while (true) {
                    if (i % 7 == 3) {
                        long skipped = in.skip(2);
                        if (skipped == 0) {
                            break;
                        }
                        i += (int) skipped;
                        continue;
                    }
                    if (in.read() < 0) {
                        break;
                    }
                    i++;
                }
            } else {
                byte[] buf = new byte[readSize];
                while (in.read(buf, 0, buf.length) >= 0) {
                    // counted as read
                }
            }
            OutputStream out = c.second();
            for (int off = 0; off < b.length; off += writeSize) {
                int n = Math.min(writeSize, b.length - off);
                if (n == 1) {
                    out.write(b[off]);
                } else {
                    out.write(b, off, n);
                }
            }
            return c.same();
        }
    }

    @Test
    void sameBytes_sameWhateverTheReadAndWriteSizes_acrossRounds() throws IOException {
        for (int length : new int[] {0, 1, ROUND - 1, ROUND, ROUND + 1, 3 * ROUND, 5 * ROUND + 17, 70_000}) {
            byte[] a = bytes(length, length);
            for (int[] sizes : new int[][] {{1, 1}, {1, 4096}, {333, 1}, {64 * 1024, 999}, {7, 65_537}}) {
                assertTrue(compare(a, a.clone(), sizes[0], sizes[1]), "length " + length + ", sizes "
                        + Arrays.toString(sizes));
            }
        }
    }

    @Test
    void oneByteChangedAnywhere_different() throws IOException {
        byte[] a = bytes(5 * ROUND + 17, 1);
        for (int at : new int[] {0, 1, ROUND - 1, ROUND, ROUND + 1, 2 * ROUND, a.length - 1}) {
            for (int bit = 0; bit < 8; bit += 7) {
                byte[] b = a.clone();
                b[at] ^= (byte) (1 << bit);
                assertFalse(compare(a, b, 333, 4096), "byte " + at + " bit " + bit);
                assertFalse(compare(b, a, 4096, 333), "byte " + at + " bit " + bit + ", sides swapped");
            }
        }
    }

    @Test
    void missingOrExtraBytes_different_evenWhenTheyAreZeroes() throws IOException {
        for (int length : new int[] {0, 1, ROUND - 1, ROUND, 3 * ROUND}) {
            byte[] a = new byte[length];
            assertFalse(compare(a, new byte[length + 1], 64, 64), "one zero byte more, length " + length);
            if (length > 0) {
                assertFalse(compare(a, new byte[length - 1], 64, 64), "one zero byte less, length " + length);
            }
            assertFalse(compare(a, new byte[length + ROUND], 64, 64), "a round of zeroes more, length " + length);
        }
        byte[] a = bytes(3 * ROUND, 9);
        assertFalse(compare(a, Arrays.copyOf(a, 2 * ROUND), 500, 500), "truncated at a round boundary");
    }

    @Test
    void markResetRefused_andAClosedComparisonRefusesBytes() throws IOException {
        PlaintextComparison c = PlaintextComparison.open();
        InputStream in = c.first(new java.io.BufferedInputStream(new ByteArrayInputStream(bytes(100, 2))));
        assertFalse(in.markSupported(), "a byte read twice would count twice");
        in.mark(10);
        assertEquals(7, in.read(new byte[7]));
        assertThrows(IOException.class, in::reset);
        OutputStream out = c.second();
        c.close();
        assertThrows(IllegalStateException.class, () -> out.write(new byte[3]));
        assertThrows(IllegalStateException.class, () -> in.read(new byte[3]));
        assertThrows(IllegalStateException.class, c::same);
    }

    @Test
    void sameAskedTwice_sameAnswer() throws IOException {
        byte[] a = bytes(2500, 4);
        try (PlaintextComparison c = PlaintextComparison.withRound(ROUND)) {
            c.first(new ByteArrayInputStream(a)).readAllBytes();
            c.second().write(a);
            assertTrue(c.same());
            assertTrue(c.same());
            assertThrows(IllegalStateException.class, () -> c.second().write(1), "finished");
        }
    }
}
