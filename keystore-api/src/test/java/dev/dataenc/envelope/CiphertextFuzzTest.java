package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dataenc.error.DataEncException;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import java.util.ArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random fuzzing of everything that parses a ciphertext: random bytes, random text,
 * and valid ciphertexts damaged by random combinations of edits (bit flips, inserted, deleted and
 * overwritten bytes, truncation, extension, duplicated and swapped ranges). Whatever the input, the
 * outcome is a typed {@link DataEncException} (never another exception, never a value), a BLOB
 * releases only a verified prefix of the true plaintext, and no error message echoes the input.
 * A failure prints the seed that reproduces it; {@code -Ddataenc.fuzz.seed=N} replays it and
 * {@code -Ddataenc.fuzz.scale=K} runs K times as many cases.
 */
class CiphertextFuzzTest {

    private static final String CONTEXT = "Fuzz.field";
    private static final int SEGMENT = 4096;
    private static PropertyFixture property;
    private static byte[] propertyPlain;
    private static byte[] propertyCt;
    private static String propertyText;
    private static BlobCipher blobs;
    private static byte[] blobPlain;
    private static byte[] blobCt;

    @BeforeAll
    static void setUp() throws IOException {
        property = new PropertyFixture();
        propertyPlain = "fuzz target: ada@example.com 0123456789".getBytes(UTF_8);
        propertyCt = property.cipher.encrypt(propertyPlain, CONTEXT);
        propertyText = property.cipher.encryptString("fuzz text target", CONTEXT);
        blobs = new BlobCipher(FixedDataKeySource.withRandomKey(), SEGMENT);
        blobPlain = BlobTestSupport.randomBytes(3 * SEGMENT + 77, 7);
        blobCt = BlobTestSupport.encrypt(blobs, blobPlain, CONTEXT);
    }

    @AfterAll
    static void tearDown() {
        property.close();
    }

    private static final long SEED = Long.getLong("dataenc.fuzz.seed", System.nanoTime());
    private static final int SCALE = Integer.getInteger("dataenc.fuzz.scale", 1);

    private static Random random(String test) {
        return new Random(SEED ^ test.hashCode());
    }

    private static String where(long seed, int i, Object input) {
        return "(-Ddataenc.fuzz.seed=" + seed + ", case " + i + ": " + input + ")";
    }

    @Test
    void arbitraryBytes_failTyped() {
        Random r = random("bytes");
        for (int i = 0; i < 3000 * SCALE; i++) {
            byte[] bytes = new byte[r.nextInt(120)];
            r.nextBytes(bytes);
            if (i % 3 == 0 && bytes.length > 0) {
                bytes[0] = propertyCt[0];   // past the first check more often
            }
            String at = where(SEED, i, bytes.length + " random bytes");
            expectTyped(() -> property.cipher.decrypt(bytes, CONTEXT), at);
            expectTypedOrValue(() -> CiphertextInfo.ofBinary(bytes, bytes.length), at);
        }
    }

    @Test
    void arbitraryText_failsTyped() {
        Random r = random("text");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/:. \n\u00e9\u0000\ud83d";
        for (int i = 0; i < 3000 * SCALE; i++) {
            StringBuilder b = new StringBuilder(i % 2 == 0 ? PropertyFormat.TEXT_PREFIX : "");
            int n = r.nextInt(120);
            for (int k = 0; k < n; k++) {
                b.append(i % 5 == 0 ? (char) r.nextInt(0x10000) : alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String text = b.toString();
            String at = where(SEED, i, text.length() + " characters");
            expectTyped(() -> property.cipher.decryptString(text, CONTEXT), at);
            PropertyCipher.isEncrypted(text);
            expectTypedOrValue(() -> CiphertextInfo.ofText(text), at);
        }
    }

    @Test
    void damagedPropertyCiphertext_failsTyped() {
        Random r = random("property");
        for (int i = 0; i < 5000 * SCALE; i++) {
            List<Edit> edits = damage(r);
            byte[] bad = apply(propertyCt, edits);
            if (Arrays.equals(bad, propertyCt)) {
                continue;
            }
            String at = where(SEED, i, edits);
            DataEncException e = expectTyped(() -> property.cipher.decrypt(bad, CONTEXT), at);
            assertFalse(e.getMessage().contains("ada@example.com"), "message echoes plaintext " + at);
            expectTypedOrValue(() -> CiphertextInfo.ofBinary(bad, bad.length), at);
        }
    }

    @Test
    void damagedTextCiphertext_failsTyped() {
        Random r = random("text-ct");
        byte[] original = propertyText.getBytes(UTF_8);
        for (int i = 0; i < 3000 * SCALE; i++) {
            List<Edit> edits = damage(r);
            String text = new String(apply(original, edits), UTF_8);
            if (text.strip().equals(propertyText)) {
                continue;
            }
            expectTyped(() -> property.cipher.decryptString(text, CONTEXT), where(SEED, i, edits));
        }
    }

    @Test
    void damagedBlob_failsTypedReleasingOnlyAVerifiedPrefix() {
        Random r = random("blob");
        for (int i = 0; i < 1500 * SCALE; i++) {
            List<Edit> edits = damage(r);
            byte[] bad = apply(blobCt, edits);
            if (Arrays.equals(bad, blobCt)) {
                continue;
            }
            String at = where(SEED, i, edits);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            RuntimeException e = BlobTestSupport.readUntilFailure(blobs.decryptingStream(new ByteArrayInputStream(bad),
                    CONTEXT), got, 700);
            assertNotNull(e, "damaged BLOB decrypted without error " + at);
            assertInstanceOf(DataEncException.class, e, "untyped failure " + at);
            byte[] released = got.toByteArray();
            assertEquals(0, released.length % SEGMENT, "released a part of a segment " + at);
            assertArrayEquals(Arrays.copyOf(blobPlain, released.length), released, "released bytes are not the true prefix " + at);
            expectTypedOrValue(() -> CiphertextInfo.ofBinary(bad, bad.length), at);
        }
    }

    private static List<Edit> damage(Random r) {
        int count = 1 + r.nextInt(4);
        List<Edit> edits = new ArrayList<>(count);
        EditKind[] kinds = EditKind.values();
        for (int k = 0; k < count; k++) {
            edits.add(new Edit(kinds[r.nextInt(kinds.length)], r.nextInt(1 << 20), 1 + r.nextInt(2 * SEGMENT), r.nextLong()));
        }
        return edits;
    }

    enum EditKind { FLIP_BIT, SET_BYTE, INSERT, DELETE, TRUNCATE, EXTEND, DUPLICATE_RANGE, SWAP_RANGES }

    /** One random edit: where (position modulo the length), how much, and a seed for the bytes it writes. */
    record Edit(EditKind kind, int position, int length, long seed) {
        byte[] applyTo(byte[] in) {
            Random random = new Random(seed);
            int n = in.length;
            int at = n == 0 ? 0 : position % n;
            switch (kind) {
                case FLIP_BIT -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[at] ^= (byte) (1 << random.nextInt(8));
                    return out;
                }
                case SET_BYTE -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[at] = (byte) random.nextInt(256);
                    return out;
                }
                case INSERT -> {
                    byte[] extra = new byte[Math.min(length, 64)];
                    random.nextBytes(extra);
                    return splice(in, at, 0, extra);
                }
                case DELETE -> {
                    return splice(in, at, Math.min(length, n - at), new byte[0]);
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(in, at);
                }
                case EXTEND -> {
                    byte[] out = Arrays.copyOf(in, n + Math.min(length, 64));
                    for (int i = n; i < out.length; i++) {
                        out[i] = (byte) random.nextInt(256);
                    }
                    return out;
                }
                case DUPLICATE_RANGE -> {
                    int len = Math.min(length, n - at);
                    return splice(in, at, 0, Arrays.copyOfRange(in, at, at + len));
                }
                case SWAP_RANGES -> {
                    if (n < 2) {
                        return in;
                    }
                    int len = Math.min(length, n / 2);
                    int a = random.nextInt(n - len + 1);
                    int b = random.nextInt(n - len + 1);
                    byte[] out = in.clone();
                    System.arraycopy(in, a, out, b, len);
                    System.arraycopy(in, b, out, a, len);
                    return out;
                }
                default -> throw new AssertionError(kind);
            }
        }

        private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
            byte[] out = new byte[in.length - remove + insert.length];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
            return out;
        }
    }

    private static byte[] apply(byte[] original, List<Edit> edits) {
        byte[] b = original;
        for (Edit e : edits) {
            b = e.applyTo(b);
        }
        return b;
    }

    private static DataEncException expectTyped(Runnable action, String at) {
        try {
            action.run();
        } catch (DataEncException e) {
            assertNotNull(e.getMessage(), at);
            return e;
        } catch (RuntimeException e) {
            fail("untyped " + e.getClass().getName() + ": " + e.getMessage() + " " + at, e);
        }
        return fail("damaged or foreign input was accepted " + at);
    }

    private static void expectTypedOrValue(java.util.function.Supplier<?> action, String at) {
        try {
            assertNotNull(action.get(), at);
        } catch (DataEncException e) {
            assertNotNull(e.getMessage(), at);
        } catch (RuntimeException e) {
            fail("untyped " + e.getClass().getName() + ": " + e.getMessage() + " " + at, e);
        }
    }
}
