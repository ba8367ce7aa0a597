package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.dataenc.cdk.CdkCheckValue;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the Java ciphers against {@code reference/dataenc_format.py}, an implementation of docs/FORMAT.md in
 * Python ({@code cryptography}) written from the document alone (see {@code reference/README.md}):
 * <ul>
 *   <li>what Java encrypts (property, deterministic, BLOB; binary and text forms) Python decrypts to the same
 *       plaintext, Python's deterministic ciphertexts are byte for byte Java's, and the check values agree;</li>
 *   <li>what Python encrypts Java decrypts to the same plaintext;</li>
 *   <li>damaged and foreign inputs are rejected by both with the same exception class (Python names the Java class
 *       FORMAT.md gives; where the document names none it answers {@code Unspecified:<reason>}, and then Java need
 *       only reject too). Cases where the two disagree are listed in {@link #KNOWN_DISAGREEMENTS}, each with the
 *       reason, so that the rest stays checked; a listed case that starts to agree fails, so the list stays true.</li>
 * </ul>
 * Python is started once per test method with every case of that direction in one JSON request. Without
 * {@code python3} or the {@code cryptography} module the test is skipped, unless the environment variable
 * {@code CI} is {@code true}, in which case it fails. The random contents come from a seeded {@link Random};
 * {@code -Ddataenc.xcheck.seed=N} replays a seed printed in a failure message.
 */
class IndependentImplementationTest {

    private static final long SEED = Long.getLong("dataenc.xcheck.seed", System.nanoTime());
    private static final HexFormat HEX = HexFormat.of();
    /** Every non-ASCII character escaped, so lone surrogates reach Python as {@code \ud800} escapes. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private static final CdkId CDK_A = CdkId.parse("5b0c8a1e-3f4d-4e2a-9c71-0d2e6f8a4b13");
    private static final CdkId CDK_B = CdkId.parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    /** Known to the writer that makes "unknown CDK" inputs, to neither reader. */
    private static final CdkId CDK_UNKNOWN = CdkId.parse("00000000-0000-4000-8000-00000000dead");

    private static final List<String> CONTEXTS = List.of("", "Customer.email", "Kundé.名前", "Emoji.\uD83D\uDE00");
    private static final int[] VALUE_LENGTHS = {0, 1, 15, 16, 17, 31, 32, 33, 64, 255, 1000};
    private static final int DEFAULT_S = BlobFormat.DEFAULT_SEGMENT_SIZE;
    private static final int MIN_S = BlobFormat.MIN_SEGMENT_SIZE;
    private static final int DEFAULT_CAP = BlobCipher.DEFAULT_MAX_READ_SEGMENT_SIZE;
    private static final String LONE_SURROGATE_CONTEXT = "Col\uD800";

    /**
     * Inputs on which the two implementations disagree, by case id, with the reason. FORMAT.md (or the code) is to be
     * changed for each; until then they are recorded here instead of failing the test.
     */
    /** None at present: the two that were found (context versus CDK lookup order) were settled in FORMAT.md. */
    private static final Map<String, String> KNOWN_DISAGREEMENTS = new TreeMap<>();

    private static Path script;
    private static byte[] keyA;
    private static byte[] keyB;
    private static byte[] keyUnknown;
    /** Readers (and writers) know CDKs A and B; A is active. */
    private static FixedDataKeySource keys;
    private static FixedDataKeySource keysActiveB;
    private static FixedDataKeySource unknownWriter;

    /** Why python3 with {@code cryptography} cannot be run, or null. */
    private static String pythonMissing;

    @BeforeAll
    static void findPythonAndMakeKeys() {
        script = findScript();
        pythonMissing = pythonProblem();
        Random r = new Random(SEED);
        keyA = bytes(r, 32);
        keyB = bytes(r, 32);
        keyUnknown = bytes(r, 32);
        keys = new FixedDataKeySource(List.of(DataKey.copyOf(CDK_A, keyA), DataKey.copyOf(CDK_B, keyB)), 0);
        keysActiveB = new FixedDataKeySource(List.of(DataKey.copyOf(CDK_A, keyA), DataKey.copyOf(CDK_B, keyB)), 1);
        unknownWriter = new FixedDataKeySource(List.of(DataKey.copyOf(CDK_UNKNOWN, keyUnknown)), 0);
    }

    /** Skips each test (so that the report shows why) when Python cannot be run, or fails it on CI. */
    @BeforeEach
    void requirePython() {
        if (pythonMissing != null) {
            String message = "cross-check against reference/dataenc_format.py not run: " + pythonMissing
                    + " (install python3 and 'pip install cryptography'; with CI=true this is a failure)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // a. Java encrypts, Python decrypts
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void javaCiphertexts_decryptInPython(@TempDir Path dir) throws Exception {
        Random r = random("java-to-python");
        PropertyCipher prop = new PropertyCipher(keys);
        DeterministicCipher det = new DeterministicCipher(keys, () -> List.of(CDK_A));
        List<ObjectNode> cases = new ArrayList<>();
        Map<String, byte[]> plain = new LinkedHashMap<>();
        Map<String, String> strings = new LinkedHashMap<>();
        Map<String, byte[]> detJava = new LinkedHashMap<>();
        Map<String, String> detJavaText = new LinkedHashMap<>();

        for (int c = 0; c < CONTEXTS.size(); c++) {
            String ctx = CONTEXTS.get(c);
            for (int len : VALUE_LENGTHS) {
                byte[] pt = bytes(r, len);
                String at = "/n" + len + "/c" + c;
                byte[] ct = prop.encrypt(pt, ctx);
                assertEquals(len + 47, ct.length, "property length" + at);
                cases.add(decrypt("prop-bin" + at, "property-decrypt", ct, null, ctx));
                plain.put("prop-bin" + at, pt);
                cases.add(decrypt("prop-text" + at, "property-decrypt", null, PropertyCipher.encodeText(prop.encrypt(pt, ctx)), ctx));
                plain.put("prop-text" + at, pt);

                byte[] d = det.encrypt(pt, ctx);
                cases.add(decrypt("det-bin" + at, "deterministic-decrypt", d, null, ctx));
                plain.put("det-bin" + at, pt);
                cases.add(decrypt("det-text" + at, "deterministic-decrypt", null, DeterministicCipher.encodeText(d), ctx));
                plain.put("det-text" + at, pt);
                cases.add(node("det-enc" + at, "deterministic-encrypt").put("cdk", CDK_A.toString()).put("context", ctx)
                        .put("plaintext", HEX.formatHex(pt)));
                detJava.put("det-enc" + at, d);
            }
            for (int i = 0; i < 3; i++) {
                String s = randomString(r, i == 0 ? 0 : 1 + r.nextInt(40));
                String at = "/s" + i + "/c" + c;
                cases.add(decrypt("prop-string" + at, "property-decrypt", null, prop.encryptString(s, ctx), ctx).put("as_string", true));
                strings.put("prop-string" + at, s);
                String dt = det.encryptString(s, ctx);
                cases.add(decrypt("det-string" + at, "deterministic-decrypt", null, dt, ctx).put("as_string", true));
                strings.put("det-string" + at, s);
                cases.add(node("det-enc-string" + at, "deterministic-encrypt").put("cdk", CDK_A.toString()).put("context", ctx)
                        .put("plaintext_string", s));
                detJavaText.put("det-enc-string" + at, dt);
            }
        }

        Map<String, byte[]> blobPlain = new LinkedHashMap<>();
        Map<String, byte[]> bigPlain = new LinkedHashMap<>();
        for (int s : new int[] {DEFAULT_S, MIN_S}) {
            BlobCipher blobs = new BlobCipher(keysActiveB, s);
            int[] lengths = {0, 1, s - 1, s, s + 1, 2 * s, 3 * s + 7};
            for (int i = 0; i < lengths.length; i++) {
                String ctx = CONTEXTS.get(i % CONTEXTS.size());
                byte[] pt = bytes(r, lengths[i]);
                String id = "blob/S" + s + "/n" + lengths[i] + "/c" + (i % CONTEXTS.size());
                byte[] ct = BlobTestSupport.encrypt(blobs, pt, ctx);
                assertEquals(BlobTestSupport.ciphertextLength(pt.length, s), ct.length, "BLOB length " + id);
                cases.add(decrypt(id, "blob-decrypt", ct, null, ctx));
                blobPlain.put(id, pt);
            }
            // one of a few MiB, through files (hex in JSON would be large)
            int big = s == DEFAULT_S ? 3 * 1024 * 1024 + 5 : 2 * 1024 * 1024 + 3;
            byte[] pt = bytes(r, big);
            String id = "blob-big/S" + s + "/n" + big;
            Path in = dir.resolve("java-" + s + ".blob");
            try (OutputStream out = Files.newOutputStream(in)) {
                blobs.encrypt(new ByteArrayInputStream(pt), out, "Invoice.pdf");
            }
            cases.add(node(id, "blob-decrypt").put("input_file", in.toString())
                    .put("output_file", dir.resolve("python-" + s + ".plain").toString()).put("context", "Invoice.pdf"));
            bigPlain.put(id, pt);
        }
        cases.add(node("kcv/A", "kcv").put("cdk", CDK_A.toString()));
        cases.add(node("kcv/B", "kcv").put("cdk", CDK_B.toString()));

        Map<String, JsonNode> results = python(cases);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : plain.entrySet()) {
            expectPlaintext(problems, e.getKey(), results.get(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, byte[]> e : blobPlain.entrySet()) {
            expectPlaintext(problems, e.getKey(), results.get(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, String> e : strings.entrySet()) {
            JsonNode res = results.get(e.getKey());
            if (!e.getValue().equals(res.path("plaintext_string").asText(null))) {
                problems.add(e.getKey() + ": Python gave " + brief(res));
            }
        }
        for (Map.Entry<String, byte[]> e : detJava.entrySet()) {
            JsonNode res = results.get(e.getKey());
            if (!res.has("binary") || !Arrays.equals(e.getValue(), HEX.parseHex(res.get("binary").asText()))) {
                problems.add(e.getKey() + ": Python's deterministic ciphertext differs from Java's (" + brief(res) + ")");
            }
        }
        for (Map.Entry<String, String> e : detJavaText.entrySet()) {
            JsonNode res = results.get(e.getKey());
            if (!e.getValue().equals(res.path("text").asText(null))) {
                problems.add(e.getKey() + ": Python's deterministic text differs from Java's (" + brief(res) + ")");
            }
        }
        for (Map.Entry<String, byte[]> e : bigPlain.entrySet()) {
            JsonNode res = results.get(e.getKey());
            if (!sha256Hex(e.getValue()).equals(res.path("sha256").asText(null))) {
                problems.add(e.getKey() + ": Python's plaintext SHA-256 differs (" + brief(res) + ")");
            }
        }
        expectKcv(problems, "kcv/A", results, CDK_A, keyA);
        expectKcv(problems, "kcv/B", results, CDK_B, keyB);
        assertTrue(problems.isEmpty(), problems.size() + " of " + cases.size() + " Java ciphertexts not decrypted alike by"
                + " Python" + seed() + ": " + first(problems));
    }

    // ------------------------------------------------------------------------------------------------------------
    // b. Python encrypts, Java decrypts
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void pythonCiphertexts_decryptInJava(@TempDir Path dir) throws Exception {
        Random r = random("python-to-java");
        List<ObjectNode> cases = new ArrayList<>();
        Map<String, byte[]> plain = new LinkedHashMap<>();
        Map<String, String> strings = new LinkedHashMap<>();
        Map<String, String> contexts = new LinkedHashMap<>();
        Map<String, Integer> segmentSizes = new LinkedHashMap<>();

        for (int c = 0; c < CONTEXTS.size(); c++) {
            String ctx = CONTEXTS.get(c);
            for (int len : VALUE_LENGTHS) {
                byte[] pt = bytes(r, len);
                String at = "/n" + len + "/c" + c;
                for (String op : new String[] {"property", "deterministic"}) {
                    String id = op + at;
                    cases.add(node(id, op + "-encrypt").put("cdk", (len % 2 == 0 ? CDK_A : CDK_B).toString())
                            .put("context", ctx).put("plaintext", HEX.formatHex(pt)));
                    plain.put(id, pt);
                    contexts.put(id, ctx);
                }
            }
            for (int i = 0; i < 3; i++) {
                String s = randomString(r, i == 0 ? 0 : 1 + r.nextInt(40));
                for (String op : new String[] {"property", "deterministic"}) {
                    String id = op + "-string/s" + i + "/c" + c;
                    cases.add(node(id, op + "-encrypt").put("cdk", CDK_B.toString()).put("context", ctx).put("plaintext_string", s));
                    strings.put(id, s);
                    contexts.put(id, ctx);
                }
            }
        }
        int i = 0;
        for (int s : new int[] {DEFAULT_S, MIN_S, 5000}) {
            for (int len : new int[] {0, 1, s - 1, s, s + 1, 2 * s, 3 * s + 7}) {
                for (boolean fixed : new boolean[] {false, true}) {
                    String ctx = CONTEXTS.get(i++ % CONTEXTS.size());
                    byte[] pt = bytes(r, len);
                    String id = "blob/S" + s + "/n" + len + (fixed ? "/fixed-salt" : "/random-salt");
                    ObjectNode n = node(id, "blob-encrypt").put("cdk", CDK_B.toString()).put("context", ctx)
                            .put("plaintext", HEX.formatHex(pt));
                    if (s != DEFAULT_S || fixed) {
                        n.put("segment_size", s);
                    }
                    if (fixed) {
                        n.put("salt", HEX.formatHex(bytes(r, 32))).put("nonce_prefix", HEX.formatHex(bytes(r, 7)));
                    }
                    cases.add(n);
                    plain.put(id, pt);
                    contexts.put(id, ctx);
                    segmentSizes.put(id, s);
                }
            }
        }
        // the BLOB of the documented scheme built by this test (used below for layouts Java never writes) is byte for
        // byte what Python writes for the same salt and nonce prefix
        byte[] salt = bytes(r, 32);
        byte[] prefix = bytes(r, 7);
        byte[] pt3 = bytes(r, 2 * MIN_S + 9);
        cases.add(node("blob/hand-built-equals-python", "blob-encrypt").put("cdk", CDK_B.toString()).put("context", "Kundé.名前")
                .put("plaintext", HEX.formatHex(pt3)).put("segment_size", MIN_S)
                .put("salt", HEX.formatHex(salt)).put("nonce_prefix", HEX.formatHex(prefix)));
        // a few MiB through files
        byte[] big = bytes(r, 3 * 1024 * 1024 + 11);
        Path bigIn = dir.resolve("big.plain");
        Files.write(bigIn, big);
        Path bigOut = dir.resolve("python.blob");
        cases.add(node("blob-big", "blob-encrypt").put("cdk", CDK_B.toString()).put("context", "Invoice.pdf")
                .put("plaintext_file", bigIn.toString()).put("output_file", bigOut.toString()));

        Map<String, JsonNode> results = python(cases);
        PropertyCipher prop = new PropertyCipher(keys);
        DeterministicCipher det = new DeterministicCipher(keys, () -> List.of(CDK_A));
        BlobCipher blobs = new BlobCipher(keys); // default reader cap
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : plain.entrySet()) {
            String id = e.getKey();
            JsonNode res = results.get(id);
            String ctx = contexts.get(id);
            if (!res.has("binary")) {
                problems.add(id + ": Python did not encrypt (" + brief(res) + ")");
                continue;
            }
            byte[] bin = HEX.parseHex(res.get("binary").asText());
            try {
                if (id.startsWith("blob/")) {
                    int s = segmentSizes.get(id);
                    check(problems, id + " length", bin.length == BlobTestSupport.ciphertextLength(e.getValue().length, s));
                    check(problems, id + " decrypts", Arrays.equals(e.getValue(), BlobTestSupport.decrypt(blobs, bin, ctx)));
                    check(problems, id + " CDK id", CDK_B.equals(BlobCipher.cdkIdOf(bin)));
                } else if (id.startsWith("property")) {
                    check(problems, id + " binary decrypts", Arrays.equals(e.getValue(), prop.decrypt(bin, ctx)));
                    check(problems, id + " text decrypts", Arrays.equals(e.getValue(),
                            prop.decrypt(PropertyCipher.decodeText(res.get("text").asText()), ctx)));
                } else {
                    check(problems, id + " binary decrypts", Arrays.equals(e.getValue(), det.decrypt(bin, ctx)));
                    check(problems, id + " text decrypts", Arrays.equals(e.getValue(),
                            det.decrypt(DeterministicCipher.decodeText(res.get("text").asText()), ctx)));
                    check(problems, id + " equals Java's", Arrays.equals(bin, detUnder(bin, e.getValue(), ctx)));
                }
            } catch (Exception x) {
                problems.add(id + ": Java threw " + x);
            }
        }
        for (Map.Entry<String, String> e : strings.entrySet()) {
            String id = e.getKey();
            JsonNode res = results.get(id);
            try {
                String text = res.path("text").asText("");
                String got = id.startsWith("property") ? prop.decryptString(text, contexts.get(id))
                        : det.decryptString(text, contexts.get(id));
                check(problems, id + " decryptString", e.getValue().equals(got));
            } catch (Exception x) {
                problems.add(id + ": Java threw " + x + " (Python: " + brief(res) + ")");
            }
        }
        byte[] handBuilt = handBuiltBlob(CDK_B, keyB, MIN_S, salt, prefix, "Kundé.名前",
                List.of(seg(Arrays.copyOfRange(pt3, 0, MIN_S), 0, false),
                        seg(Arrays.copyOfRange(pt3, MIN_S, 2 * MIN_S), 1, false),
                        seg(Arrays.copyOfRange(pt3, 2 * MIN_S, pt3.length), 2, true)));
        check(problems, "blob/hand-built-equals-python", Arrays.equals(handBuilt,
                HEX.parseHex(results.get("blob/hand-built-equals-python").path("binary").asText(""))));
        try (InputStream in = Files.newInputStream(bigOut)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(big.length);
            blobs.decrypt(in, out, "Invoice.pdf");
            check(problems, "blob-big decrypts", Arrays.equals(big, out.toByteArray()));
        } catch (Exception x) {
            problems.add("blob-big: Java threw " + x + " (Python: " + brief(results.get("blob-big")) + ")");
        }
        assertTrue(problems.isEmpty(), problems.size() + " Python ciphertexts not decrypted alike by Java" + seed() + ": "
                + first(problems));
    }

    /** Java's deterministic ciphertext of {@code pt} under the CDK named in {@code like}. */
    private static byte[] detUnder(byte[] like, byte[] pt, String ctx) {
        CdkId id = DeterministicCipher.cdkIdOf(like);
        FixedDataKeySource k = new FixedDataKeySource(List.of(DataKey.copyOf(CDK_A, keyA), DataKey.copyOf(CDK_B, keyB)),
                id.equals(CDK_A) ? 0 : 1);
        return new DeterministicCipher(k, List::of).encrypt(pt, ctx);
    }

    // ------------------------------------------------------------------------------------------------------------
    // c. Rejections: the same exception class on both sides
    // ------------------------------------------------------------------------------------------------------------

    /** One input for both implementations: Java's run returns the plaintext (null: accepted, nothing to compare). */
    private record Check(String id, Callable<byte[]> java, ObjectNode python) {
    }

    @Test
    void rejections_sameExceptionClass() throws Exception {
        Random r = random("rejections");
        PropertyCipher prop = new PropertyCipher(keys);
        DeterministicCipher det = new DeterministicCipher(keys, () -> List.of(CDK_A));
        BlobCipher blobWriter = new BlobCipher(keysActiveB, MIN_S);
        Cases c = new Cases(prop, det, new BlobCipher(keys));

        String ctx = "Customer.email";
        String plainString = "hello, wörld!"; // 14 bytes: 61 (property) and 49 (deterministic) binary bytes, not a multiple of 3
        byte[] pt = plainString.getBytes(UTF_8);
        byte[] propBin = prop.encrypt(pt, ctx);
        String propText = PropertyCipher.encodeText(propBin);
        byte[] detBin = det.encrypt(pt, ctx);
        String detText = DeterministicCipher.encodeText(detBin);
        String blobCtx = "Invoice.pdf";
        byte[] blobSmall = BlobTestSupport.encrypt(blobWriter, bytes(r, 100), blobCtx);
        byte[] blob3 = BlobTestSupport.encrypt(blobWriter, bytes(r, 3 * MIN_S + 7), blobCtx);
        byte[] blobFull2 = BlobTestSupport.encrypt(blobWriter, bytes(r, 2 * MIN_S), blobCtx);
        byte[] blobEmpty = BlobTestSupport.encrypt(blobWriter, new byte[0], blobCtx);

        // -- single-bit flips: every bit of the small values and the one-segment BLOB, chosen bits of a 3-segment BLOB
        for (int bit = 0; bit < propBin.length * 8; bit++) {
            c.property("prop/flip/bit" + bit, flip(propBin, bit), ctx);
        }
        for (int bit = 0; bit < detBin.length * 8; bit++) {
            c.deterministic("det/flip/bit" + bit, flip(detBin, bit), ctx);
        }
        for (int bit = 0; bit < blobSmall.length * 8; bit++) {
            c.blob("blob1/flip/bit" + bit, flip(blobSmall, bit), blobCtx);
        }
        List<Integer> offsets = new ArrayList<>(List.of(0, 1, 2, 3, 10, 18, 19, 20, 21, 22, 23, 40, 54, 55, 58, 61));
        int full = MIN_S + 16;
        for (int s = 0; s < 4; s++) {
            int start = 62 + s * full;
            int end = Math.min(blob3.length, start + full); // exclusive
            int tag = end - 16;
            offsets.addAll(List.of(start, start + 1, (start + tag) / 2, tag - 1, tag, tag + 8, end - 1));
        }
        for (int off : offsets) {
            for (int b : new int[] {0, 7}) {
                c.blob("blob3/flip/byte" + off + "/bit" + b, flip(blob3, off * 8 + b), blobCtx);
            }
        }
        for (int bit = 0; bit < blobEmpty.length * 8; bit += 5) {
            c.blob("blob-empty/flip/bit" + bit, flip(blobEmpty, bit), blobCtx);
        }

        // -- truncation
        for (int n = 0; n < propBin.length; n++) {
            c.property("prop/truncated/" + n, Arrays.copyOf(propBin, n), ctx);
        }
        for (int n = 0; n < detBin.length; n++) {
            c.deterministic("det/truncated/" + n, Arrays.copyOf(detBin, n), ctx);
        }
        for (int n = 0; n < blobSmall.length; n++) {
            c.blob("blob1/truncated/" + n, Arrays.copyOf(blobSmall, n), blobCtx);
        }
        for (int n = 0; n < blobEmpty.length; n++) {
            c.blob("blob-empty/truncated/" + n, Arrays.copyOf(blobEmpty, n), blobCtx);
        }
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>(List.of(1, 3, 19, 61, 62, 63, 77, 78));
        for (int s = 1; s <= 3; s++) {
            int end = 62 + s * full;
            cuts.addAll(List.of(end - 17, end - 16, end - 1, end, end + 1, end + 15, end + 16, end + 17));
        }
        for (int n = 500; n < blob3.length; n += 997) {
            cuts.add(n);
        }
        cuts.add(blob3.length - 1);
        for (int n : cuts) {
            c.blob("blob3/truncated/" + n, Arrays.copyOf(blob3, n), blobCtx);
        }
        c.blob("blob-full2/cut-at-segment-boundary", Arrays.copyOf(blobFull2, 62 + full), blobCtx);

        // -- appended bytes
        for (int extra : new int[] {1, 15, 16, 17}) {
            byte[] more = bytes(r, extra);
            c.property("prop/appended/" + extra, concat(propBin, more), ctx);
            c.deterministic("det/appended/" + extra, concat(detBin, more), ctx);
            c.blob("blob1/appended/" + extra, concat(blobSmall, more), blobCtx);
            c.blob("blob3/appended/" + extra, concat(blob3, more), blobCtx);
            c.blob("blob-full2/appended/" + extra, concat(blobFull2, more), blobCtx);
            c.blob("blob-empty/appended/" + extra, concat(blobEmpty, more), blobCtx);
        }
        c.property("prop/appended/zero-byte", concat(propBin, new byte[1]), ctx);
        c.blob("blob3/appended/full-segment", concat(blob3, bytes(r, full)), blobCtx);
        c.blob("blob3/appended/copy-of-last-segment", concat(blob3, Arrays.copyOfRange(blob3, 62 + 3 * full, blob3.length)), blobCtx);
        byte[] seg0 = Arrays.copyOfRange(blob3, 62, 62 + full);
        byte[] seg1 = Arrays.copyOfRange(blob3, 62 + full, 62 + 2 * full);
        byte[] rest = Arrays.copyOfRange(blob3, 62 + 2 * full, blob3.length);
        byte[] head3 = Arrays.copyOf(blob3, 62);
        c.blob("blob3/segment-1-dropped", concat(head3, seg0, rest), blobCtx);
        c.blob("blob3/segments-0-1-swapped", concat(head3, seg1, seg0, rest), blobCtx);
        c.blob("blob3/segment-0-duplicated", concat(head3, seg0, seg0, seg1, rest), blobCtx);
        byte[] other3 = BlobTestSupport.encrypt(blobWriter, bytes(r, 3 * MIN_S + 7), blobCtx);
        c.blob("blob3/foreign-segment-1", concat(head3, seg0, Arrays.copyOfRange(other3, 62 + full, 62 + 2 * full), rest), blobCtx);
        c.blob("blob3/foreign-header", concat(Arrays.copyOf(other3, 62), Arrays.copyOfRange(blob3, 62, blob3.length)), blobCtx);

        // -- a value given to the wrong reader, suite and version bytes
        c.blob("prop-to-blob-reader", propBin, blobCtx);
        c.blob("prop-to-blob-reader/long", prop.encrypt(bytes(r, 100), blobCtx), blobCtx);
        c.blob("det-to-blob-reader", detBin, blobCtx);
        c.blob("det-to-blob-reader/long", det.encrypt(bytes(r, 100), blobCtx), blobCtx);
        c.property("blob-to-prop-reader", blobSmall, blobCtx);
        c.property("blob-empty-to-prop-reader", blobEmpty, blobCtx);
        c.deterministic("blob-to-det-reader", blobSmall, blobCtx);
        c.deterministic("prop-to-det-reader", propBin, ctx);
        c.property("det-to-prop-reader", detBin, ctx);
        for (int suite : new int[] {0x00, 0x01, 0x02, 0x03, 0x04, 0x7f, 0xff}) {
            c.property("prop/suite-" + suite, withByte(propBin, 2, suite), ctx);
            c.deterministic("prop-bytes-to-det-reader/suite-" + suite, withByte(propBin, 2, suite), ctx);
            c.deterministic("det/suite-" + suite, withByte(detBin, 2, suite), ctx);
            c.blob("blob1/suite-" + suite, withByte(blobSmall, 2, suite), blobCtx);
        }
        for (int version : new int[] {0x00, 0x02, 0xff}) {
            c.property("prop/version-" + version, withByte(propBin, 1, version), ctx);
            c.deterministic("det/version-" + version, withByte(detBin, 1, version), ctx);
            c.blob("blob1/version-" + version, withByte(blobSmall, 1, version), blobCtx);
        }
        c.property("prop/empty", new byte[0], ctx);
        c.deterministic("det/empty", new byte[0], ctx);
        c.blob("blob/empty", new byte[0], blobCtx);
        c.property("prop/magic-only", new byte[] {(byte) 0xDE}, ctx);
        c.property("prop/magic-version", new byte[] {(byte) 0xDE, 1}, ctx);
        c.blob("blob/magic-version-suite", new byte[] {(byte) 0xDE, 1, 2}, ctx);
        c.blob("blob/wrong-magic-short", new byte[] {(byte) 0xDF, 1, 2}, ctx);
        c.property("prop/garbage", bytes(r, 60), ctx);
        c.blob("blob/garbage", bytes(r, 200), ctx);

        // -- wrong context (no normalisation: é precomposed vs e + combining acute)
        for (String wrong : new String[] {"Customer.phone", "", "customer.email", "Customer.email "}) {
            c.property("prop/context '" + wrong + "'", propBin, wrong);
            c.deterministic("det/context '" + wrong + "'", detBin, wrong);
        }
        for (String wrong : new String[] {"Invoice.PDF", "", "Invoice.pdf\u0000"}) {
            c.blob("blob1/context '" + wrong + "'", blobSmall, wrong);
            c.blob("blob3/context '" + wrong + "'", blob3, wrong);
            c.blob("blob-empty/context '" + wrong + "'", blobEmpty, wrong);
        }
        c.property("prop/context NFC-vs-NFD", prop.encrypt(pt, "Caf\u00e9"), "Cafe\u0301");
        c.deterministic("det/context NFC-vs-NFD", det.encrypt(pt, "Caf\u00e9"), "Cafe\u0301");
        c.blob("blob/context NFC-vs-NFD", BlobTestSupport.encrypt(blobWriter, pt, "Caf\u00e9"), "Cafe\u0301");

        // -- unknown CDK, and contexts with an unpaired surrogate (FORMAT.md: TextEncodingException)
        byte[] propUnknown = new PropertyCipher(unknownWriter).encrypt(pt, ctx);
        byte[] detUnknown = new DeterministicCipher(unknownWriter, List::of).encrypt(pt, ctx);
        byte[] blobUnknown = BlobTestSupport.encrypt(new BlobCipher(unknownWriter, MIN_S), pt, blobCtx);
        c.property("prop/unknown-cdk", propUnknown, ctx);
        c.deterministic("det/unknown-cdk", detUnknown, ctx);
        c.blob("blob/unknown-cdk", blobUnknown, blobCtx);
        c.blob("blob/unknown-cdk/header-only", Arrays.copyOf(blobUnknown, 62), blobCtx);
        c.propertyText("prop/unknown-cdk/text", PropertyCipher.encodeText(propUnknown), ctx);
        c.property("prop/unknown-cdk/lone-surrogate-context", propUnknown, LONE_SURROGATE_CONTEXT);
        c.deterministic("det/unknown-cdk/lone-surrogate-context", detUnknown, LONE_SURROGATE_CONTEXT);
        c.blob("blob/unknown-cdk/lone-surrogate-context", blobUnknown, LONE_SURROGATE_CONTEXT);
        c.property("prop/lone-surrogate-context", propBin, LONE_SURROGATE_CONTEXT);
        c.property("prop/lone-low-surrogate-context", propBin, "Col\uDC00");
        c.property("prop/reversed-pair-context", propBin, "Col\uDE00\uD83D");
        c.deterministic("det/lone-surrogate-context", detBin, LONE_SURROGATE_CONTEXT);
        c.blob("blob/lone-surrogate-context", blobSmall, LONE_SURROGATE_CONTEXT);
        c.property("prop/malformed/lone-surrogate-context", Arrays.copyOf(propBin, 20), LONE_SURROGATE_CONTEXT);
        c.deterministic("det/malformed/lone-surrogate-context", Arrays.copyOf(detBin, 20), LONE_SURROGATE_CONTEXT);
        c.blob("blob/malformed/lone-surrogate-context", Arrays.copyOf(blobSmall, 20), LONE_SURROGATE_CONTEXT);
        // encryption side
        c.encrypt("prop/encrypt/lone-surrogate-context", () -> prop.encrypt(pt, LONE_SURROGATE_CONTEXT),
                node("", "property-encrypt").put("cdk", CDK_A.toString()).put("context", LONE_SURROGATE_CONTEXT)
                        .put("plaintext", HEX.formatHex(pt)));
        c.encrypt("prop/encrypt/lone-surrogate-plaintext", () -> prop.encryptString("a\uD800b", ctx).getBytes(UTF_8),
                node("", "property-encrypt").put("cdk", CDK_A.toString()).put("context", ctx).put("plaintext_string", "a\uD800b"));
        c.encrypt("det/encrypt/lone-surrogate-context", () -> det.encrypt(pt, LONE_SURROGATE_CONTEXT),
                node("", "deterministic-encrypt").put("cdk", CDK_A.toString()).put("context", LONE_SURROGATE_CONTEXT)
                        .put("plaintext", HEX.formatHex(pt)));
        c.encrypt("det/encrypt/lone-surrogate-plaintext", () -> det.encryptString("\uDC00", ctx).getBytes(UTF_8),
                node("", "deterministic-encrypt").put("cdk", CDK_A.toString()).put("context", ctx).put("plaintext_string", "\uDC00"));
        c.encrypt("blob/encrypt/lone-surrogate-context",
                () -> BlobTestSupport.encrypt(blobWriter, pt, LONE_SURROGATE_CONTEXT),
                node("", "blob-encrypt").put("cdk", CDK_B.toString()).put("context", LONE_SURROGATE_CONTEXT)
                        .put("plaintext", HEX.formatHex(pt)).put("segment_size", MIN_S));

        // -- decryptString of bytes that are not UTF-8 (and two that are)
        for (String hex : new String[] {"c0af", "eda080", "e282", "f4908080", "f5808080", "ff", "80", "e08080", "efbfbe",
                "f09f9880", "00"}) {
            c.propertyText("prop/decryptString/" + hex, PropertyCipher.encodeText(prop.encrypt(HEX.parseHex(hex), ctx)), ctx);
            c.deterministicText("det/decryptString/" + hex, DeterministicCipher.encodeText(det.encrypt(HEX.parseHex(hex), ctx)), ctx);
        }

        // -- text forms
        textForms(c, "prop-text", propText, "dataenc:v1:", true, ctx);
        textForms(c, "det-text", detText, "dataenc:d1:", false, ctx);
        String v1Body = propText.substring(11);
        String d1Body = detText.substring(11);
        c.propertyText("prop-text/valid", propText, ctx);
        c.deterministicText("det-text/valid", detText, ctx);
        c.propertyText("prop-text/d1-prefix-on-v1-value", "dataenc:d1:" + v1Body, ctx);
        c.deterministicText("det-text/d1-prefix-on-v1-value", "dataenc:d1:" + v1Body, ctx);
        c.propertyText("prop-text/v1-prefix-on-d1-value", "dataenc:v1:" + d1Body, ctx);
        c.deterministicText("det-text/v1-prefix-on-d1-value", "dataenc:v1:" + d1Body, ctx);
        c.propertyText("prop-text/v1-prefix-on-blob", "dataenc:v1:" + b64(blobSmall), blobCtx);
        c.deterministicText("det-text/d1-prefix-on-blob", "dataenc:d1:" + b64(blobSmall), blobCtx);

        // -- BLOB header: segment sizes, reader caps, header only
        for (long s : new long[] {0, 1, 4095, 4097, 8192, 65536, 1048576, 1048577, 16777216, 16777217, 0x7FFFFFFFL,
                0x80000000L, 0xFFFFFFFFL}) {
            c.blob("blob1/segment-size-" + s, withSegmentSize(blobSmall, s), blobCtx);
            c.blob("blob1/segment-size-" + s + "/cap-16MiB", withSegmentSize(blobSmall, s), blobCtx, BlobFormat.MAX_SEGMENT_SIZE);
            c.blob("blob1/segment-size-" + s + "/header-only", Arrays.copyOf(withSegmentSize(blobSmall, s), 62), blobCtx);
        }
        c.blob("blob1/cap-4096", blobSmall, blobCtx, MIN_S);
        c.blob("blob3/cap-4096", blob3, blobCtx, MIN_S);
        c.blob("blob1/header-only", Arrays.copyOf(blobSmall, 62), blobCtx);
        c.blob("blob1/header-61", Arrays.copyOf(blobSmall, 61), blobCtx);
        c.blob("blob1/header-plus-15", Arrays.copyOf(blobSmall, 62 + 15), blobCtx);
        c.blob("blob1/header-plus-16-garbage", concat(Arrays.copyOf(blobSmall, 62), bytes(r, 16)), blobCtx);
        c.blob("blob1/header-only/lone-surrogate-context", Arrays.copyOf(blobSmall, 62), LONE_SURROGATE_CONTEXT);

        // -- BLOBs built by hand from FORMAT.md's scheme: segment index and last-segment marker
        handBuiltLayouts(c, r);

        // -- writers: segment sizes (FORMAT.md names no exception for a bad one; Python says Unspecified:...)
        for (int s : new int[] {-1, 0, 4095, 16777217}) {
            c.encrypt("blob/writer-segment-size-" + s, () -> BlobTestSupport.encrypt(new BlobCipher(keysActiveB, s), pt, blobCtx),
                    node("", "blob-encrypt").put("cdk", CDK_B.toString()).put("context", blobCtx).put("plaintext", HEX.formatHex(pt))
                            .put("segment_size", s));
        }
        byte[] javaHuge = BlobTestSupport.encrypt(new BlobCipher(keysActiveB, BlobFormat.MAX_SEGMENT_SIZE), pt, blobCtx);
        c.blob("blob/writer-S-16MiB/default-cap", javaHuge, blobCtx);
        c.blob("blob/writer-S-16MiB/cap-16MiB", javaHuge, blobCtx, BlobFormat.MAX_SEGMENT_SIZE);
        c.blob("blob/writer-S-16MiB/cap-16MiB-minus-1", javaHuge, blobCtx, BlobFormat.MAX_SEGMENT_SIZE - 1);

        // -- run both
        Map<String, JsonNode> results = python(c.pythonCases());
        List<String> disagreements = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (Check check : c.checks) {
            String java = javaOutcome(check.java());
            String python = pythonOutcome(results.get(check.id()));
            boolean agree = python.startsWith("Unspecified:") ? !java.startsWith("accepted") : java.equals(python);
            if (KNOWN_DISAGREEMENTS.containsKey(check.id())) {
                if (agree) {
                    stale.add(check.id() + " (both: " + java + ")");
                }
            } else if (!agree) {
                disagreements.add(check.id() + ": Java " + java + ", Python " + python);
            }
        }
        for (String id : KNOWN_DISAGREEMENTS.keySet()) {
            assertNotNull(results.get(id), "KNOWN_DISAGREEMENTS names a case that no longer exists: " + id);
        }
        assertTrue(disagreements.isEmpty(), disagreements.size() + " of " + c.checks.size() + " inputs rejected"
                + " differently by Java and Python" + seed() + ": " + first(disagreements));
        assertTrue(stale.isEmpty(), "listed in KNOWN_DISAGREEMENTS but now handled alike; remove them: " + first(stale));
    }

    /** Damaged text forms of {@code text} (a valid text of the given prefix). */
    private static void textForms(Cases c, String name, String text, String prefix, boolean property, String ctx) {
        String body = text.substring(prefix.length());
        int last = B64.indexOf(text.charAt(text.length() - 1));
        assertTrue(body.length() % 4 == 2, "the base text must have unused bits in its last character");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("padding-1", text + "=");
        bad.put("padding-2", text + "==");
        bad.put("padding-inside", text.substring(0, 30) + "=" + text.substring(31));
        bad.put("space-inside", text.substring(0, 30) + " " + text.substring(30));
        bad.put("space-after-prefix", prefix + " " + body);
        bad.put("trailing-newline", text + "\n");
        bad.put("trailing-crlf", text + "\r\n");
        bad.put("tab-inside", text.substring(0, 40) + "\t" + text.substring(40));
        bad.put("line-break-inside", text.substring(0, 40) + "\n" + text.substring(40));
        bad.put("leading-space", " " + text);
        bad.put("plus-inside", text.substring(0, 30) + "+" + text.substring(31));
        bad.put("slash-inside", text.substring(0, 30) + "/" + text.substring(31));
        bad.put("plus-last", text.substring(0, text.length() - 1) + "+");
        bad.put("slash-last", text.substring(0, text.length() - 1) + "/");
        if (body.indexOf('-') >= 0 || body.indexOf('_') >= 0) {
            bad.put("standard-alphabet", prefix + body.replace('-', '+').replace('_', '/'));
        }
        bad.put("non-ascii-inside", text.substring(0, 30) + "é" + text.substring(31));
        bad.put("length-mod-4-is-1", text.substring(0, text.length() - 1));
        bad.put("length-mod-4-is-1-by-adding", text + "AAA");
        for (int v = 1; v < 16; v++) {
            bad.put("non-canonical-last-" + v, text.substring(0, text.length() - 1) + B64.charAt(last | v));
        }
        bad.put("upper-case-prefix", prefix.toUpperCase(java.util.Locale.ROOT) + body);
        bad.put("capitalised-prefix", "D" + prefix.substring(1) + body);
        bad.put("no-prefix", body);
        bad.put("prefix-without-colon", prefix.substring(0, prefix.length() - 1) + body);
        bad.put("other-version-prefix", prefix.replace("1", "2") + body);
        bad.put("empty-payload", prefix);
        bad.put("empty-string", "");
        bad.put("short-payload", prefix + "3g");
        bad.put("truncated-by-4", text.substring(0, text.length() - 4));
        bad.put("truncated-by-2", text.substring(0, text.length() - 2));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            if (property) {
                c.propertyText(name + "/" + e.getKey(), e.getValue(), ctx);
            } else {
                c.deterministicText(name + "/" + e.getKey(), e.getValue(), ctx);
            }
        }
    }

    /** BLOB layouts built from FORMAT.md's key and nonce scheme, most of which no writer produces. */
    private static void handBuiltLayouts(Cases c, Random r) {
        int s = MIN_S;
        String ctx = "Hand.built";
        byte[] salt = bytes(r, 32);
        byte[] prefix = bytes(r, 7);
        byte[] a = bytes(r, s);
        byte[] b = bytes(r, s);
        byte[] tail = bytes(r, 100);
        byte[] none = new byte[0];
        Map<String, List<Seg>> layouts = new LinkedHashMap<>();
        layouts.put("canonical-2-full", List.of(seg(a, 0, false), seg(b, 1, true)));
        layouts.put("canonical-full-then-partial", List.of(seg(a, 0, false), seg(tail, 1, true)));
        layouts.put("canonical-empty", List.of(seg(none, 0, true)));
        // NOTES.md 4.6 (item 23): full segments marked not-last, then an EMPTY last segment
        layouts.put("full-not-last-then-empty-last", List.of(seg(a, 0, false), seg(none, 1, true)));
        layouts.put("2-full-not-last-then-empty-last", List.of(seg(a, 0, false), seg(b, 1, false), seg(none, 2, true)));
        layouts.put("full-last-then-empty-last", List.of(seg(a, 0, true), seg(none, 1, true)));
        layouts.put("full-not-last-then-empty-not-last", List.of(seg(a, 0, false), seg(none, 1, false)));
        layouts.put("partial-marked-not-last", List.of(seg(tail, 0, false)));
        layouts.put("empty-marked-not-last", List.of(seg(none, 0, false)));
        layouts.put("full-marked-not-last-alone", List.of(seg(a, 0, false)));
        layouts.put("full-marked-last-then-more", List.of(seg(a, 0, true), seg(tail, 1, true)));
        layouts.put("last-segment-marked-not-last", List.of(seg(a, 0, false), seg(tail, 1, false)));
        layouts.put("partial-then-empty-last", List.of(seg(tail, 0, false), seg(none, 1, true)));
        layouts.put("empty-then-empty", List.of(seg(none, 0, false), seg(none, 1, true)));
        layouts.put("index-gap", List.of(seg(a, 0, false), seg(tail, 2, true)));
        layouts.put("index-starts-at-1", List.of(seg(a, 1, false), seg(tail, 2, true)));
        layouts.put("index-repeated", List.of(seg(a, 0, false), seg(b, 0, false), seg(tail, 1, true)));
        for (Map.Entry<String, List<Seg>> e : layouts.entrySet()) {
            c.blob("hand-built/" + e.getKey(), handBuiltBlob(CDK_B, keyB, s, salt, prefix, ctx, e.getValue()), ctx);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // The cases of the rejection test
    // ------------------------------------------------------------------------------------------------------------

    /** Collects {@link Check}s: each input run by Java directly and by Python from its JSON case. */
    private static final class Cases {
        final PropertyCipher prop;
        final DeterministicCipher det;
        final BlobCipher blobs;
        final List<Check> checks = new ArrayList<>();

        Cases(PropertyCipher prop, DeterministicCipher det, BlobCipher blobs) {
            this.prop = prop;
            this.det = det;
            this.blobs = blobs;
        }

        void property(String id, byte[] bin, String ctx) {
            add(id, () -> prop.decrypt(bin, ctx), decrypt(id, "property-decrypt", bin, null, ctx));
        }

        void deterministic(String id, byte[] bin, String ctx) {
            add(id, () -> det.decrypt(bin, ctx), decrypt(id, "deterministic-decrypt", bin, null, ctx));
        }

        void propertyText(String id, String text, String ctx) {
            add(id, () -> prop.decryptString(text, ctx).getBytes(UTF_8),
                    decrypt(id, "property-decrypt", null, text, ctx).put("as_string", true));
        }

        void deterministicText(String id, String text, String ctx) {
            add(id, () -> det.decryptString(text, ctx).getBytes(UTF_8),
                    decrypt(id, "deterministic-decrypt", null, text, ctx).put("as_string", true));
        }

        void blob(String id, byte[] bin, String ctx) {
            blob(id, bin, ctx, DEFAULT_CAP);
        }

        void blob(String id, byte[] bin, String ctx, int cap) {
            BlobCipher reader = cap == DEFAULT_CAP ? blobs : blobs.withMaxReadSegmentSize(cap);
            ObjectNode n = decrypt(id, "blob-decrypt", bin, null, ctx);
            if (cap != DEFAULT_CAP) {
                n.put("max_read_segment_size", cap);
            }
            add(id, () -> BlobTestSupport.decrypt(reader, bin, ctx), n);
        }

        /** An encryption: the outcome is only accepted or the exception class. */
        void encrypt(String id, Callable<byte[]> java, ObjectNode python) {
            python.put("id", id);
            add(id, () -> {
                java.call();
                return null;
            }, python);
        }

        private void add(String id, Callable<byte[]> java, ObjectNode python) {
            for (Check existing : checks) {
                if (existing.id().equals(id)) {
                    throw new IllegalArgumentException("duplicate case id " + id);
                }
            }
            checks.add(new Check(id, java, python));
        }

        List<ObjectNode> pythonCases() {
            return checks.stream().map(Check::python).toList();
        }
    }

    private static String javaOutcome(Callable<byte[]> run) {
        try {
            byte[] plaintext = run.call();
            return plaintext == null ? "accepted" : "accepted (" + plaintext.length + " bytes, SHA-256 "
                    + sha256Hex(plaintext).substring(0, 16) + ")";
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static String pythonOutcome(JsonNode result) {
        if (result == null) {
            return "no result";
        }
        if (result.has("error")) {
            assertTrue(!"InvalidRequest".equals(result.get("error").asText()), "bad request to Python: " + brief(result));
            return result.get("error").asText();
        }
        if (result.has("plaintext")) {
            byte[] p = HEX.parseHex(result.get("plaintext").asText());
            return "accepted (" + p.length + " bytes, SHA-256 " + sha256Hex(p).substring(0, 16) + ")";
        }
        return "accepted";
    }

    // ------------------------------------------------------------------------------------------------------------
    // A BLOB built by hand from FORMAT.md: header, HKDF-SHA256 key, GCM per segment with nonce prefix | index | flag
    // ------------------------------------------------------------------------------------------------------------

    private record Seg(byte[] plaintext, long index, boolean last) {
    }

    private static Seg seg(byte[] plaintext, long index, boolean last) {
        return new Seg(plaintext, index, last);
    }

    private static byte[] handBuiltBlob(CdkId id, byte[] cdk, int s, byte[] salt, byte[] prefix, String ctx, List<Seg> segments)
            throws IllegalStateException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0xDE, 0x01, 0x02});
            out.write(id.toBytes());
            out.write(new byte[] {(byte) (s >>> 24), (byte) (s >>> 16), (byte) (s >>> 8), (byte) s});
            out.write(salt);
            out.write(prefix);
            byte[] header = out.toByteArray();
            // HKDF-SHA256 (RFC 5869): PRK = HMAC(salt, IKM); K = first 32 bytes of HMAC(PRK, info | 0x01)
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(cdk);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update("dataenc blob v1".getBytes(UTF_8));
            mac.update(header);
            mac.update(ctx.getBytes(UTF_8));
            mac.update((byte) 1);
            byte[] k = mac.doFinal();
            for (Seg seg : segments) {
                byte[] nonce = Arrays.copyOf(prefix, 12);
                nonce[7] = (byte) (seg.index() >>> 24);
                nonce[8] = (byte) (seg.index() >>> 16);
                nonce[9] = (byte) (seg.index() >>> 8);
                nonce[10] = (byte) seg.index();
                nonce[11] = (byte) (seg.last() ? 1 : 0);
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
                out.write(gcm.doFinal(seg.plaintext()));
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Running Python
    // ------------------------------------------------------------------------------------------------------------

    private static Path findScript() {
        List<Path> starts = new ArrayList<>();
        String root = System.getProperty("dataenc.projectRoot");
        if (root != null && !root.isBlank()) {
            starts.add(Path.of(root));
        }
        String basedir = System.getProperty("basedir");
        if (basedir != null && !basedir.isBlank()) {
            starts.add(Path.of(basedir));
        }
        starts.add(Path.of(System.getProperty("user.dir")));
        for (Path start : starts) {
            for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                Path candidate = p.resolve("reference").resolve("dataenc_format.py");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("reference/dataenc_format.py not found above " + starts + " (it is part of the repository)");
    }

    /** Null if python3 with the cryptography module can be run, else what is missing. */
    private static String pythonProblem() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import cryptography.hazmat.primitives.ciphers.aead")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "python3 did not answer within 30 s";
            }
            if (p.exitValue() != 0) {
                String[] lines = new String(out, UTF_8).strip().split("\\R");
                String last = lines[lines.length - 1];
                return "python3 cannot import the 'cryptography' module ("
                        + last.substring(0, Math.min(last.length(), 200)) + ")";
            }
            return null;
        } catch (IOException e) {
            return "python3 cannot be started (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs all {@code cases} in one request; results by case id. */
    private static Map<String, JsonNode> python(List<ObjectNode> cases) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        ObjectNode k = request.putObject("keys");
        k.put(CDK_A.toString(), HEX.formatHex(keyA));
        k.put(CDK_B.toString(), HEX.formatHex(keyB));
        request.putArray("cases").addAll(cases);
        byte[] body = JSON.writeValueAsBytes(request);
        Path stderr = Files.createTempFile("dataenc-xcheck", ".stderr");
        try {
            Process p = new ProcessBuilder("python3", script.toString())
                    .redirectError(stderr.toFile()).start();
            byte[] out;
            try {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(body); // the script reads all of stdin before it writes anything
                } catch (IOException e) {
                    // it exited early: its stderr says why
                }
                out = p.getInputStream().readAllBytes();
            } finally {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            String err = Files.readString(stderr);
            assertEquals(0, p.exitValue(), "python3 " + script + " failed: " + err.substring(Math.max(0, err.length() - 2000))
                    + " / " + new String(out, 0, Math.min(out.length, 500), UTF_8));
            JsonNode response = JSON.readTree(out);
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            for (JsonNode res : response.path("results")) {
                byId.put(res.path("id").asText(), res);
            }
            assertEquals(cases.size(), byId.size(), "Python answered a different number of cases (duplicate ids?)");
            for (ObjectNode c : cases) {
                JsonNode res = byId.get(c.get("id").asText());
                assertNotNull(res, "no result for " + c.get("id"));
                assertTrue(!"InvalidRequest".equals(res.path("error").asText()), "bad request to Python: " + brief(res));
            }
            return byId;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static ObjectNode node(String id, String op) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("op", op);
        return n;
    }

    private static ObjectNode decrypt(String id, String op, byte[] binary, String text, String ctx) {
        ObjectNode n = node(id, op).put("context", ctx);
        if (text != null) {
            n.put("text", text);
        } else {
            n.put("binary", HEX.formatHex(binary));
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Small helpers
    // ------------------------------------------------------------------------------------------------------------

    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static void expectPlaintext(List<String> problems, String id, JsonNode res, byte[] expected) {
        if (res == null || !res.has("plaintext") || !Arrays.equals(expected, HEX.parseHex(res.get("plaintext").asText()))) {
            problems.add(id + ": Python gave " + brief(res));
        }
    }

    private static void expectKcv(List<String> problems, String id, Map<String, JsonNode> results, CdkId cdk, byte[] key) {
        String java = HEX.formatHex(CdkCheckValue.of(DataKey.copyOf(cdk, key)).value());
        if (!java.equals(results.get(id).path("kcv").asText(null))) {
            problems.add(id + ": Java KCV " + java + ", Python " + brief(results.get(id)));
        }
    }

    private static void check(List<String> problems, String what, boolean ok) {
        if (!ok) {
            problems.add(what);
        }
    }

    /** A result without its long hex fields. */
    private static String brief(JsonNode res) {
        if (res == null) {
            return "no result";
        }
        StringBuilder sb = new StringBuilder("{");
        res.properties().forEach(f -> {
            String v = f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString();
            sb.append(sb.length() > 1 ? ", " : "").append(f.getKey()).append('=')
                    .append(v.length() > 120 ? v.substring(0, 120) + "...(" + v.length() + " chars)" : v);
        });
        return sb.append('}').toString();
    }

    private static String first(List<String> items) {
        int n = Math.min(items.size(), 25);
        return String.join("\n  ", items.subList(0, n)) + (items.size() > n ? "\n  ... and " + (items.size() - n) + " more" : "");
    }

    private static String seed() {
        return " (seed " + SEED + ", -Ddataenc.xcheck.seed=" + SEED + " replays it)";
    }

    private static Random random(String test) {
        return new Random(SEED ^ test.hashCode());
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String randomString(Random r, int codePoints) {
        int[] pool = {'a', 'Z', '0', ' ', '.', '@', 0xE9, 0xDF, 0x540D, 0x524D, 0x0301, 0x1F600, 0x10FFFD, 0xFFFD, 0x7F, 0};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            sb.appendCodePoint(pool[r.nextInt(pool.length)]);
        }
        return sb.toString();
    }

    private static byte[] flip(byte[] b, int bit) {
        byte[] c = b.clone();
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        return c;
    }

    private static byte[] withByte(byte[] b, int offset, int value) {
        byte[] c = b.clone();
        c[offset] = (byte) value;
        return c;
    }

    private static byte[] withSegmentSize(byte[] blob, long s) {
        byte[] c = blob.clone();
        c[19] = (byte) (s >>> 24);
        c[20] = (byte) (s >>> 16);
        c[21] = (byte) (s >>> 8);
        c[22] = (byte) s;
        return c;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String b64(byte[] b) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

