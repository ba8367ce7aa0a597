package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** {@link Hkdf} against Wycheproof's HKDF-SHA256 vectors (shared/test-vectors/wycheproof). */
class HkdfWycheproofTest {

    @Test
    void wycheproofVectors_allPass() throws IOException {
        String root = System.getProperty("dataenc.projectRoot");
        if (root == null) {
            fail("system property dataenc.projectRoot is not set; run the tests through Maven (surefire sets it)");
        }
        Path file = Path.of(root, "..", "shared", "test-vectors", "wycheproof", "hkdf_sha256_test.json").normalize();
        if (!Files.isRegularFile(file)) {
            fail("Wycheproof HKDF vectors not found at " + file + "; the shared test-vectors directory must sit beside the project root");
        }
        JsonNode doc = new ObjectMapper().readTree(file.toFile());
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
