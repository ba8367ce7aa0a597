package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataenc.error.DecryptionFailedException;

import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link AesGcm} against Wycheproof's AES-GCM vectors. Cases with 256-bit keys, 96-bit IVs
 * and 128-bit tags (our suite) must encrypt and decrypt exactly; 128/192-bit keys must be refused;
 * other IV and tag sizes cannot be expressed through the API and are skipped (counted).
 */
class AesGcmWycheproofTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void wycheproofVectors_allPass() throws Exception {
        JsonNode doc;
        try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/wycheproof/aes_gcm_test.json")) {
            if (in == null) {
                fail("test resource /vectors/wycheproof/aes_gcm_test.json is missing from the test classpath");
            }
            doc = new ObjectMapper().readTree(in);
        }
        int valid = 0;
        int invalid = 0;
        int otherKeySizeRefused = 0;
        int skipped = 0;
        for (JsonNode group : doc.get("testGroups")) {
            int keySize = group.get("keySize").asInt();
            int ivSize = group.get("ivSize").asInt();
            int tagSize = group.get("tagSize").asInt();
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                byte[] key = hex(t, "key");
                byte[] iv = hex(t, "iv");
                byte[] aad = hex(t, "aad");
                byte[] msg = hex(t, "msg");
                byte[] ctTag = concat(hex(t, "ct"), hex(t, "tag"));
                boolean isValid = "valid".equals(t.get("result").asText());
                if (ivSize != 96 || tagSize != 128) {
                    skipped++;
                    continue;
                }
                SecretKeySpec k = new SecretKeySpec(key, "AES");
                if (keySize != 256) {
                    assertThrows(IllegalArgumentException.class, () -> AesGcm.encrypt(k, iv, 0, aad, 0, aad.length,
                            null, msg, 0, msg.length, new byte[msg.length + 16], 0), id);
                    otherKeySizeRefused++;
                    continue;
                }
                byte[] plain = new byte[Math.max(0, ctTag.length - 16)];
                if (isValid) {
                    int n = AesGcm.decrypt(k, iv, 0, aad, 0, aad.length, null, ctTag, 0, ctTag.length, plain, 0);
                    assertEquals(msg.length, n, id);
                    assertArrayEquals(msg, plain, id);
                    byte[] out = new byte[msg.length + 16];
                    AesGcm.encrypt(k, iv, 0, aad, 0, aad.length, null, msg, 0, msg.length, out, 0);
                    assertArrayEquals(ctTag, out, id);
                    valid++;
                } else {
                    assertThrows(DecryptionFailedException.class, () -> AesGcm.decrypt(k, iv, 0, aad, 0, aad.length,
                            null, ctTag, 0, ctTag.length, plain, 0), id);
                    invalid++;
                }
            }
        }
        System.out.printf("Wycheproof AES-GCM: %d valid and %d invalid AES-256/96/128 cases checked,"
                + " %d cases with 128/192-bit keys refused, %d cases with other IV/tag sizes skipped%n",
                valid, invalid, otherKeySizeRefused, skipped);
        assertTrue(valid > 0, "no valid AES-256 cases checked");
        assertTrue(invalid > 0, "no invalid AES-256 cases checked");
        assertTrue(otherKeySizeRefused > 0, "no other key sizes checked");
    }

    private static byte[] hex(JsonNode t, String field) {
        return HEX.parseHex(t.get(field).asText());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
