package dev.dataenc.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * Checks {@link AesKwp} (the primitive behind {@code wrap-algorithm=aes-kwp}) against Project
 * Wycheproof's AES-KWP vectors: every valid case wraps to the expected bytes and unwraps back;
 * every invalid case is rejected on unwrap. "acceptable" cases (none in this file) are skipped.
 */
class AesKwpWycheproofTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void wycheproofVectors_validWrapAndUnwrap_invalidRejected() throws Exception {
        JsonNode doc;
        try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/wycheproof/aes_kwp_test.json")) {
            if (in == null) {
                fail("test resource /vectors/wycheproof/aes_kwp_test.json is missing from the test classpath");
            }
            doc = new ObjectMapper().readTree(in);
        }
        assertEquals("AES-KWP", doc.get("algorithm").asText());
        int valid = 0;
        int invalid = 0;
        int skipped = 0;
        for (JsonNode group : doc.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                SecretKey kek = new SecretKeySpec(HEX.parseHex(t.get("key").asText()), "AES");
                byte[] msg = HEX.parseHex(t.get("msg").asText());
                byte[] ct = HEX.parseHex(t.get("ct").asText());
                switch (t.get("result").asText()) {
                    case "valid" -> {
                        assertArrayEquals(ct, AesKwp.wrap(kek, msg), id + ": wrap");
                        assertArrayEquals(msg, AesKwp.unwrap(kek, ct), id + ": unwrap");
                        valid++;
                    }
                    case "invalid" -> {
                        assertThrows(GeneralSecurityException.class, () -> AesKwp.unwrap(kek, ct), id + ": unwrap must fail");
                        invalid++;
                    }
                    default -> skipped++;
                }
            }
        }
        assertEquals(doc.get("numberOfTests").asInt(), valid + invalid + skipped);
        assertTrue(valid > 0 && invalid > 0, "valid " + valid + ", invalid " + invalid);
        System.out.println("AES-KWP Wycheproof: " + valid + " valid, " + invalid + " invalid, " + skipped + " skipped");
    }
}
