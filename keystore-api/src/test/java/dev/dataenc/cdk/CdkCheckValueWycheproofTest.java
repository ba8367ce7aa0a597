package dev.dataenc.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The HMAC-SHA256 behind {@link CdkCheckValue} against Wycheproof's {@code hmac_sha256_test.json}
 * (vendored under {@code /vectors/wycheproof/}): every valid case must produce the tag (truncated
 * tags compared on their length), every invalid one must not.
 */
class CdkCheckValueWycheproofTest {

    @Test
    void wycheproofHmacSha256Vectors_allPass() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/wycheproof/hmac_sha256_test.json")) {
            if (in == null) {
                fail("test resource /vectors/wycheproof/hmac_sha256_test.json is missing from the test classpath");
            }
            doc = new ObjectMapper().readTree(in);
        }
        HexFormat hex = HexFormat.of();
        int valid = 0;
        int invalid = 0;
        int fullLength256 = 0;
        for (JsonNode group : doc.get("testGroups")) {
            int tagBytes = group.get("tagSize").asInt() / 8;
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                byte[] key = hex.parseHex(t.get("key").asText());
                byte[] mac = CdkCheckValue.hmacSha256(key, hex.parseHex(t.get("msg").asText()));
                byte[] expected = hex.parseHex(t.get("tag").asText());
                boolean equal = MessageDigest.isEqual(Arrays.copyOf(mac, tagBytes), expected);
                if ("valid".equals(t.get("result").asText())) {
                    assertTrue(equal, id);
                    valid++;
                    if (key.length == 32 && tagBytes == 32) {
                        fullLength256++;
                    }
                } else {
                    assertTrue(!equal, id);
                    invalid++;
                }
            }
        }
        assertEquals(doc.get("numberOfTests").asInt(), valid + invalid);
        assertTrue(fullLength256 > 0, "cases with our shape (256-bit key, 256-bit tag) were checked");
        System.out.printf("Wycheproof HMAC-SHA256: %d valid (%d with 256-bit key and full tag) and %d invalid cases%n",
                valid, fullLength256, invalid);
    }
}
