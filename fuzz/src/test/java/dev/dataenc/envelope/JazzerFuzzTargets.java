package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jazzer targets for the ciphertext parsers: property, deterministic and BLOB decryption and {@code CiphertextInfo}. Every
 * input must give a value or a typed {@link DataEncException} with a one-line message; BLOB reads must release only
 * whole authenticated segments of the true plaintext and keep their buffers bounded. See fuzz/README.md.
 */
class JazzerFuzzTargets {

    static final String CTX = "Customer.email";
    static final CdkId ID = CdkId.parse("123e4567-e89b-12d3-a456-426614174000");
    static final byte[] KEY = new byte[32];
    static final int SEG = 4096;
    /** Canonical plaintext: every seed BLOB encrypts a prefix of it. */
    static final byte[] P = new byte[5 * SEG + 123];
    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) i;
        }
        java.util.Random r = new java.util.Random(42);
        r.nextBytes(P);
    }
    static final FixedDataKeySource KEYS = new FixedDataKeySource(List.of(DataKey.copyOf(ID, KEY)), 0);
    static final PropertyCipher PROPERTY = new PropertyCipher(KEYS);
    static final DeterministicCipher DET = new DeterministicCipher(KEYS, () -> List.of(ID));
    static final BlobCipher BLOBS = new BlobCipher(KEYS, SEG).withMaxReadSegmentSize(64 * 1024);

    // ---------- helpers ----------

    interface Action {
        Object run() throws Exception;
    }

    /** Runs the action: a value or a typed DataEncException with a one-line message are fine; anything else is a finding. */
    static Object typed(String what, Action a) {
        try {
            return a.run();
        } catch (DataEncException e) {
            checkMessage(what, e);
            return null;
        } catch (NullPointerException e) {
            throw new AssertionError(what + ": NPE on non-null input", e);
        } catch (Exception e) {
            throw new AssertionError(what + ": untyped " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    static void checkMessage(String what, DataEncException e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            throw new AssertionError(what + ": typed error without a message", e);
        }
        if (m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            throw new AssertionError(what + ": multi-line message: " + m, e);
        }
    }

    // ---------- 1. PropertyCipher ----------

    @FuzzTest(maxDuration = "4m")
    void propertyDecrypt(byte[] data) {
        Object out = typed("decrypt", () -> PROPERTY.decrypt(data, CTX));
        if (out != null && data.length < PropertyCipher.OVERHEAD_BYTES) {
            throw new AssertionError("accepted a too-short ciphertext");
        }
        String text = PropertyCipher.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        typed("decryptString(b64)", () -> PROPERTY.decryptString(text, CTX));
        typed("ofBinary", () -> CiphertextInfo.ofBinary(data, data.length));
        typed("cdkIdOf", () -> PropertyCipher.cdkIdOf(data));
        typed("encodeText", () -> PropertyCipher.encodeText(data));
    }

    @FuzzTest(maxDuration = "2m")
    void propertyDecryptText(byte[] data) {
        String text = new String(data, UTF_8);
        typed("decryptString", () -> PROPERTY.decryptString(text, CTX));
        typed("decodeText", () -> PropertyCipher.decodeText(text));
        typed("cdkIdOf(text)", () -> PropertyCipher.cdkIdOf(text));
    }

    // ---------- 2. DeterministicCipher ----------

    @FuzzTest(maxDuration = "3m")
    void deterministicDecrypt(byte[] data) {
        typed("det.decrypt", () -> DET.decrypt(data, CTX));
        String text = DeterministicCipher.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        typed("det.decryptString(b64)", () -> DET.decryptString(text, CTX));
        typed("det.cdkIdOf", () -> DeterministicCipher.cdkIdOf(data));
        typed("det.encodeText", () -> DeterministicCipher.encodeText(data));
    }

    @FuzzTest(maxDuration = "1m")
    void deterministicDecryptText(byte[] data) {
        String text = new String(data, UTF_8);
        typed("det.decryptString", () -> DET.decryptString(text, CTX));
        typed("det.decodeText", () -> DeterministicCipher.decodeText(text));
        typed("det.cdkIdOf(text)", () -> DeterministicCipher.cdkIdOf(text));
    }

    // ---------- 3. BlobCipher ----------

    @FuzzTest(maxDuration = "4m")
    void blobDecrypt(byte[] data) throws IOException {
        // a: BlobCipher.decrypt
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        RuntimeException e = null;
        try {
            BLOBS.decrypt(new ByteArrayInputStream(data), got, CTX);
        } catch (DataEncException ex) {
            checkMessage("blob.decrypt", ex);
            e = ex;
        } catch (RuntimeException | IOException ex) {
            throw new AssertionError("blob.decrypt: untyped " + ex.getClass().getName() + ": " + ex.getMessage(), ex);
        }
        checkReleased("decrypt", got.toByteArray(), e != null);
        // b, c: decryptingStream read loops (partial-segment buffer, then whole-segment direct reads)
        for (int buf : new int[] {700, SEG + 100}) {
            DecryptingInputStream in = (DecryptingInputStream) BLOBS.decryptingStream(new ByteArrayInputStream(data), CTX);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            boolean failed = false;
            byte[] b = new byte[buf];
            try {
                int n;
                while ((n = in.read(b)) >= 0) {
                    sink.write(b, 0, n);
                    checkMemory(in, data.length);
                }
            } catch (DataEncException ex) {
                checkMessage("blob.stream", ex);
                failed = true;
                // after a failure every read fails the same way
                try {
                    in.read(b);
                    throw new AssertionError("read after failure succeeded");
                } catch (DataEncException again) {
                    if (again.getClass() != ex.getClass()) {
                        throw new AssertionError("different failure on re-read: " + again + " after " + ex);
                    }
                }
            } catch (RuntimeException | IOException ex) {
                throw new AssertionError("blob.stream(" + buf + "): untyped " + ex.getClass().getName() + ": " + ex.getMessage(), ex);
            }
            checkMemory(in, data.length);
            checkReleased("stream" + buf, sink.toByteArray(), failed);
        }
        // d: single-byte reads (only for small inputs: slow)
        if (data.length < 3 * SEG) {
            InputStream in = BLOBS.decryptingStream(new ByteArrayInputStream(data), CTX);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            boolean failed = false;
            try {
                int c;
                while ((c = in.read()) >= 0) {
                    sink.write(c);
                }
            } catch (DataEncException ex) {
                failed = true;
            } catch (RuntimeException | IOException ex) {
                throw new AssertionError("blob.read(): untyped " + ex.getClass().getName() + ": " + ex.getMessage(), ex);
            }
            checkReleased("read()", sink.toByteArray(), failed);
        }
        typed("blob.ofBinary", () -> CiphertextInfo.ofBinary(data, data.length));
        if (data.length >= BlobFormat.HEADER_LENGTH) {
            typed("blob.cdkIdOf", () -> BlobCipher.cdkIdOf(data));
        }
    }

    static void checkMemory(DecryptingInputStream in, int inputLength) {
        long cap = in.bufferedCapacity();
        // buffers grow with bytes received, never beyond about two segments of the cap
        if (cap > 2L * inputLength + 4L * DecryptingInputStream.INITIAL_BUFFER || cap > 2L * (64 * 1024 + 17) + 16) {
            throw new AssertionError("blob reader holds " + cap + " bytes for an input of " + inputLength);
        }
    }

    static void checkReleased(String what, byte[] released, boolean failed) {
        if (!Arrays.equals(released, 0, released.length, P, 0, Math.min(P.length, released.length)) || released.length > P.length) {
            throw new AssertionError(what + ": released " + released.length + " bytes that are not the true plaintext prefix");
        }
        if (failed && released.length % SEG != 0) {
            throw new AssertionError(what + ": failed after releasing " + released.length + " bytes, part of a segment");
        }
    }

    // ---------- 4. CiphertextInfo / decodeText ----------

    @FuzzTest(maxDuration = "3m")
    void inspect(byte[] data) {
        String text = new String(data, UTF_8);
        Object info = typed("ofText", () -> CiphertextInfo.ofText(text));
        if (info != null) {
            CiphertextInfo i = (CiphertextInfo) info;
            i.suiteName();
            i.toString();
            if (i.kind() == CiphertextInfo.Kind.BLOB) {
                throw new AssertionError("a BLOB accepted in text form: " + i);
            }
            if (i.plaintextBytes() < 0) {
                throw new AssertionError("negative plaintext length " + i);
            }
        }
        typed("ofBinary", () -> checkInfo(CiphertextInfo.ofBinary(data, data.length)));
        // the probe form `inspect` uses for files: head only, with a claimed total length
        if (data.length >= CiphertextInfo.PROBE_LENGTH) {
            long claimed = data.length + ((data[data.length - 1] & 0xFFL) << ((data[data.length - 2] & 3) * 8));
            byte[] head = Arrays.copyOf(data, Math.min(data.length, CiphertextInfo.PROBE_LENGTH));
            typed("ofBinary(head)", () -> checkInfo(CiphertextInfo.ofBinary(head, claimed)));
        }
        typed("p.decodeText", () -> PropertyCipher.decodeText(text));
        typed("d.decodeText", () -> DeterministicCipher.decodeText(text));
        CiphertextInfo.looksLikeText(data);
    }

    static Object checkInfo(CiphertextInfo i) {
        if (i.plaintextBytes() < 0 || i.ciphertextBytes() < 0) {
            throw new AssertionError("negative length in " + i);
        }
        return i;
    }

    // ---------- seeds ----------

    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws Exception {
        Path root = Path.of(System.getProperty("fuzz.seedRoot"), "dev/dataenc/envelope/JazzerFuzzTargetsInputs");
        byte[] documented = java.util.HexFormat.of().parseHex("de0101123e4567e89b12d3a456426614174000a0a1a2a3a4a5a6a7a8a9aaab"
                + "8e7d10412a5745b7953a5fec8fdd3cbfe208d6b0e6");
        byte[][] props = {documented, PROPERTY.encrypt(new byte[0], CTX), PROPERTY.encrypt("ada@example.com".getBytes(UTF_8), CTX),
                PROPERTY.encrypt(new byte[] {(byte) 0xC3}, CTX)};
        byte[][] dets = {DET.encrypt(new byte[0], CTX), DET.encrypt("ada@example.com".getBytes(UTF_8), CTX),
                DET.encrypt(new byte[] {(byte) 0xFF, (byte) 0xFE}, CTX)};
        byte[][] blobs = {blob(0), blob(10), blob(SEG), blob(SEG + 1), blob(2 * SEG + 300)};
        for (int i = 0; i < props.length; i++) {
            write(root.resolve("propertyDecrypt"), "p" + i, props[i]);
            write(root.resolve("propertyDecryptText"), "t" + i, PropertyCipher.encodeText(props[i]).getBytes(UTF_8));
            write(root.resolve("inspect"), "p" + i, props[i]);
            write(root.resolve("inspect"), "t" + i, PropertyCipher.encodeText(props[i]).getBytes(UTF_8));
        }
        for (int i = 0; i < dets.length; i++) {
            write(root.resolve("deterministicDecrypt"), "d" + i, dets[i]);
            write(root.resolve("deterministicDecryptText"), "t" + i, DeterministicCipher.encodeText(dets[i]).getBytes(UTF_8));
            write(root.resolve("inspect"), "d" + i, dets[i]);
            write(root.resolve("inspect"), "dt" + i, DeterministicCipher.encodeText(dets[i]).getBytes(UTF_8));
        }
        // cross-format seeds
        write(root.resolve("propertyDecrypt"), "x0", dets[1]);
        write(root.resolve("deterministicDecrypt"), "x0", props[2]);
        for (int i = 0; i < blobs.length; i++) {
            write(root.resolve("blobDecrypt"), "b" + i, blobs[i]);
            write(root.resolve("inspect"), "b" + i, blobs[i]);
        }
        write(root.resolve("inspect"), "bt", ("dataenc:v1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(blobs[1])).getBytes(UTF_8));
    }

    static byte[] blob(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BLOBS.encrypt(new ByteArrayInputStream(P, 0, n), out, CTX);
        return out.toByteArray();
    }

    static void write(Path dir, String name, byte[] b) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), b);
    }
}
