package dev.dataenc.migrate;

import java.io.InputStream;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code length} pseudo-random bytes from a seed, generated as they are read: a large test value that is never
 * whole in memory and can be generated again to compare with.
 */
final class SeededBytes extends InputStream {

    private final SplittableRandom random;
    private long left;
    private long word;
    private int wordLeft;

    SeededBytes(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.left = length;
    }

    @Override
    public int read() {
        if (left == 0) {
            return -1;
        }
        if (wordLeft == 0) {
            word = random.nextLong();
            wordLeft = 8;
        }
        left--;
        wordLeft--;
        int b = (int) (word & 0xff);
        word >>>= 8;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        int i = 0;
        while (i < n && wordLeft > 0) {
            b[off + i++] = (byte) read();
        }
        while (n - i >= 8) {
            long w = random.nextLong();
            for (int k = 0; k < 8; k++) {
                b[off + i++] = (byte) w;
                w >>>= 8;
            }
            left -= 8;
        }
        while (i < n) {
            b[off + i++] = (byte) read();
        }
        return n;
    }

    @Override
    public byte[] readAllBytes() {
        try {
            return super.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // never: nothing here does I/O
        }
    }
}
