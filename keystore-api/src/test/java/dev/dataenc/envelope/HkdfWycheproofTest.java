package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** {@link Hkdf} against Wycheproof's HKDF-SHA256 vectors (vendored in src/test/resources/vectors/wycheproof). */
class HkdfWycheproofTest {

    @Test
    void wycheproofVectors_allPass() throws IOException {
        JsonNode doc;
        try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/wycheproof/hkdf_sha256_test.json")) {
            if (in == null) {
                fail("test resource /vectors/wycheproof/hkdf_sha256_test.json is missing from the test classpath");
            }
            doc = new ObjectMapper().readTree(in);
        }
        assertEquals("HKDF-SHA-256", doc.get("algorithm").asText());
        HexFormat hex = HexFormat.of();
        int valid = 0;
        int invalid = 0;
        for (JsonNode group : doc.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                byte[] ikm = hex.parseHex(t.get("ikm").asText());
                byte[] salt = hex.parseHex(t.get("salt").asText());
                byte[] info = hex.parseHex(t.get("info").asText());
                int size = t.get("size").asInt();
                String result = t.get("result").asText();
                if ("valid".equals(result)) {
                    assertEquals(t.get("okm").asText(), hex.formatHex(Hkdf.derive(ikm, salt, info, size)), id);
                    valid++;
                } else if ("invalid".equals(result)) {
                    assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(ikm, salt, info, size), id);
                    invalid++;
                } else {
                    fail(id + ": unexpected result '" + result + "'");
                }
            }
        }
        assertTrue(valid > 0 && invalid > 0, "valid " + valid + ", invalid " + invalid);
        assertEquals(doc.get("numberOfTests").asInt(), valid + invalid);
    }
}
