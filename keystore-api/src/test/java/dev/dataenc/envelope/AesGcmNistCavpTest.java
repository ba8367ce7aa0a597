package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dataenc.error.DecryptionFailedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link AesGcm} against NIST CAVP's AES-256 GCM vectors with 96-bit IVs and 128-bit tags (vendored,
 * filtered to those parameters, under {@code /vectors/nist/}; see the README there).
 */
class AesGcmNistCavpTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void nistEncryptVectors_producePublishedCiphertextAndTag() throws IOException {
        List<Map<String, String>> cases = read("/vectors/nist/gcmEncryptExtIV256.rsp");
        for (Map<String, String> c : cases) {
            byte[] pt = hex(c, "PT");
            byte[] aad = hex(c, "AAD");
            byte[] out = new byte[pt.length + AesGcm.TAG_LENGTH];
            AesGcm.encrypt(key(c), hex(c, "IV"), 0, aad, 0, aad.length, null, pt, 0, pt.length, out, 0);
            assertArrayEquals(concat(hex(c, "CT"), hex(c, "Tag")), out, c.get("id"));
        }
        assertEquals(375, cases.size());
    }

    @Test
    void nistDecryptVectors_releasePlaintextOrFail() throws IOException {
        List<Map<String, String>> cases = read("/vectors/nist/gcmDecrypt256.rsp");
        int failing = 0;
        for (Map<String, String> c : cases) {
            byte[] ct = concat(hex(c, "CT"), hex(c, "Tag"));
            byte[] aad = hex(c, "AAD");
            byte[] plain = new byte[ct.length - AesGcm.TAG_LENGTH];
            if (c.containsKey("FAIL")) {
                assertThrows(DecryptionFailedException.class, () -> AesGcm.decrypt(key(c), hex(c, "IV"), 0, aad, 0,
                        aad.length, null, ct, 0, ct.length, plain, 0), c.get("id"));
                assertArrayEquals(new byte[plain.length], plain, "nothing released: " + c.get("id"));
                failing++;
            } else {
                AesGcm.decrypt(key(c), hex(c, "IV"), 0, aad, 0, aad.length, null, ct, 0, ct.length, plain, 0);
                assertArrayEquals(hex(c, "PT"), plain, c.get("id"));
            }
        }
        assertEquals(375, cases.size());
        assertTrue(failing > 100, "FAIL cases checked: " + failing);
    }

    private static SecretKeySpec key(Map<String, String> c) {
        return new SecretKeySpec(hex(c, "Key"), "AES");
    }

    private static byte[] hex(Map<String, String> c, String field) {
        String v = c.get(field);
        if (v == null) {
            throw new AssertionError(c.get("id") + " has no " + field);
        }
        return HEX.parseHex(v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The cases of a CAVP .rsp file, each a map of its fields plus "id" (section and count). */
    private static List<Map<String, String>> read(String resource) throws IOException {
        List<Map<String, String>> cases = new ArrayList<>();
        try (InputStream in = AesGcmNistCavpTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                fail("test resource " + resource + " is missing from the test classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String section = "";
            Map<String, String> current = null;
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    section = line.startsWith("[Keylen") ? line : section + line;
                    continue;
                }
                if (line.isEmpty()) {
                    current = null;
                    continue;
                }
                if (line.equals("FAIL")) {
                    current.put("FAIL", "");
                    continue;
                }
                int eq = line.indexOf('=');
                String name = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                if (name.equals("Count")) {
                    current = new HashMap<>();
                    current.put("id", section + " Count " + value);
                    cases.add(current);
                } else {
                    current.put(name, value);
                }
            }
        }
        return cases;
    }
}
