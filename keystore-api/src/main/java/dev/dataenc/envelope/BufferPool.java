package dev.dataenc.envelope;

import java.io.OutputStream;
import java.lang.ref.SoftReference;

/**
 * A few spare byte arrays per thread for the buffers of BLOB streams, so that a BLOB of a segment or two does not
 * allocate fresh buffers each time: a fresh 64 KiB array must be zeroed and brought into the cache before use, which
 * cost more than encrypting it (measured: a 64 KiB BLOB took about three times as long as raw JCE with reused
 * buffers; see docs/BENCHMARKS.md).
 *
 * <p><b>Who uses spares.</b> Only the streams that {@link BlobCipher#encrypt} and {@link BlobCipher#decrypt} make for
 * themselves: such a stream never leaves the calling thread and is released in a {@code finally}, so no other thread
 * can read or close it while it gives its arrays back (a stream handed to an application could be closed from another
 * thread in the middle of a read). And of their arrays only those that are never passed to the application's
 * {@code OutputStream}, or passed only to one of the JDK's sinks that copy or drop what they are given: a sink that
 * keeps a reference to the array it was given (an asynchronous writer that does not copy) would otherwise see another
 * BLOB's plaintext once the array was reused. Pooled are the encryption's plaintext buffer (filled by the
 * caller's {@code InputStream.read}), its ciphertext output and the decryption's ciphertext buffer; the decryption's
 * plaintext buffer only when the caller's sink is exactly a {@link java.io.ByteArrayOutputStream}, a
 * {@link java.io.FileOutputStream} or {@link OutputStream#nullOutputStream()}, which copy or drop what they are given
 * before {@code write} returns ({@link #copiesOrDrops}; a subclass may not, so it does not count). The caller's
 * {@code InputStream} is handed a spare to read into: {@code read}'s contract lends it the array for the call only,
 * and a stream that kept it and looked into it later could see other BLOBs' bytes (accepted: no stream that reads does
 * that, unlike writers that queue the array they are given).
 *
 * <p><b>What a spare may hold.</b> A stream gives an array back only when it will never touch it again, and only
 * after zeroing every byte of it that held plaintext; an array that held only ciphertext is given back as it is. So
 * a spare never holds plaintext, and whoever takes one reads only bytes it wrote itself.
 *
 * <p>At most {@value #SLOTS} spares per thread, each from {@value #MIN_POOLED} bytes to {@link #MAX_POOLED} bytes
 * (one 1 MiB segment with its tag and look-ahead byte); larger BLOB buffers are allocated and dropped as before.
 * Spares are held through {@link SoftReference}s: the garbage collector takes them back before memory runs out, so
 * an idle thread keeps at most about 256 KiB with the default segment size, and never at the cost of an
 * {@link OutOfMemoryError}.
 */
final class BufferPool {

    static final int SLOTS = 4;
    static final int MIN_POOLED = 4 * 1024;
    static final int MAX_POOLED = 1024 * 1024 + 2 * BlobFormat.TAG_LENGTH + 1;

    private static final ThreadLocal<SoftReference<byte[]>[]> SPARES = ThreadLocal.withInitial(BufferPool::slots);
    static final byte[] EMPTY = new byte[0];

    private BufferPool() {
    }

    @SuppressWarnings("unchecked")
    private static SoftReference<byte[]>[] slots() {
        return (SoftReference<byte[]>[]) new SoftReference<?>[SLOTS];
    }

    /**
     * This thread's largest spare of {@code min} to {@code max} bytes (a buffer that starts large need not grow), now
     * owned by the caller (it may hold ciphertext of an earlier stream, never plaintext), or a new array of
     * {@code min} bytes.
     */
    static byte[] take(int min, int max) {
        SoftReference<byte[]>[] slots = SPARES.get();
        int best = -1;
        byte[] found = null;
        for (int i = 0; i < slots.length; i++) {
            byte[] b = slots[i] == null ? null : slots[i].get();
            if (b == null) {
                slots[i] = null;
            } else if (b.length >= min && b.length <= max && (found == null || b.length > found.length)) {
                found = b;
                best = i;
            }
        }
        if (found != null) {
            slots[best] = null;
            return found;
        }
        return new byte[min];
    }

    /**
     * Gives {@code b} to this thread's spares. The caller must have zeroed every byte of it that held plaintext and
     * must never touch it again. Arrays outside the pooled sizes, and an array that is already a spare, are ignored;
     * when all slots are taken, the smallest spare makes way for a larger array.
     */
    static void give(byte[] b) {
        if (b == null || b.length < MIN_POOLED || b.length > MAX_POOLED) {
            return;
        }
        SoftReference<byte[]>[] slots = SPARES.get();
        int free = -1;
        int smallest = -1;
        int smallestLength = Integer.MAX_VALUE;
        for (int i = 0; i < slots.length; i++) {
            byte[] s = slots[i] == null ? null : slots[i].get();
            if (s == b) {
                return; // given twice: keeping it once is what keeps it from having two owners
            }
            if (s == null) {
                free = free < 0 ? i : free;
            } else if (s.length < smallestLength) {
                smallestLength = s.length;
                smallest = i;
            }
        }
        if (free >= 0) {
            slots[free] = new SoftReference<>(b);
        } else if (smallestLength < b.length) {
            slots[smallest] = new SoftReference<>(b);
        }
    }

    private static final Class<?> NULL_OUTPUT = OutputStream.nullOutputStream().getClass();

    /**
     * Whether {@code sink} is certain to keep no reference to an array given to its {@code write}: exactly one of the
     * JDK's {@link java.io.ByteArrayOutputStream} (copies), {@link java.io.FileOutputStream} (hands the bytes to the
     * operating system before returning) or {@link OutputStream#nullOutputStream()} (drops them). Subclasses and
     * wrappers do not count: they may keep the array or pass it on.
     */
    static boolean copiesOrDrops(OutputStream sink) {
        Class<?> c = sink.getClass();
        return c == java.io.ByteArrayOutputStream.class || c == java.io.FileOutputStream.class || c == NULL_OUTPUT;
    }

    /** {@link #take} when {@code pooled}, else a new array of {@code min} bytes. */
    static byte[] take(boolean pooled, int min, int max) {
        return pooled ? take(min, max) : new byte[min];
    }

    /** {@link #give} when {@code pooled}, else nothing (the array is left to the garbage collector). */
    static void give(boolean pooled, byte[] b) {
        if (pooled) {
            give(b);
        }
    }

    /** This thread's spares now (tests). */
    static java.util.List<byte[]> sparesForTest() {
        java.util.List<byte[]> list = new java.util.ArrayList<>();
        for (SoftReference<byte[]> r : SPARES.get()) {
            byte[] b = r == null ? null : r.get();
            if (b != null) {
                list.add(b);
            }
        }
        return list;
    }

    /** Forgets this thread's spares (tests of the allocation policy start from none). */
    static void clearForTest() {
        SPARES.remove();
    }
}
