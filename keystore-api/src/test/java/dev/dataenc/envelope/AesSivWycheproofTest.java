package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.subtle.AesSiv;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Checks the AES-SIV primitive behind {@link DeterministicCipher} (Tink's {@code subtle.AesSiv}, one associated-data
 * string as dataenc uses it) against Wycheproof's {@code aes_siv_cmac_test.json}: every 512-bit-key case (the size
 * dataenc derives) and every case of another size Tink accepts must encrypt to the expected bytes and decrypt, every
 * invalid one must be refused; a key size Tink does not offer (384 bits) must be refused at construction (counted).
 */
class AesSivWycheproofTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void wycheproofVectors_allPass() throws Exception {
        JsonNode doc;
        try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/wycheproof/aes_siv_cmac_test.json")) {
            if (in == null) {
                fail("test resource /vectors/wycheproof/aes_siv_cmac_test.json is missing from the test classpath");
            }
            doc = new ObjectMapper().readTree(in);
        }
        int valid = 0;
        int invalid = 0;
        int otherKeySizeRefused = 0;
        int ourKeySize = 0;
        for (JsonNode group : doc.get("testGroups")) {
            int keySize = group.get("keySize").asInt();
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                byte[] key = hex(t, "key");
                byte[] aad = hex(t, "aad");
                byte[] msg = hex(t, "msg");
                byte[] ct = hex(t, "ct");
                AesSiv siv;
                try {
                    siv = new AesSiv(key);
                } catch (InvalidKeyException e) {
                    assertNotEquals(DeterministicFormat.SIV_KEY_LENGTH * 8, keySize, id + ": the size dataenc uses");
                    otherKeySizeRefused++;
                    continue;
                }
                if (keySize == DeterministicFormat.SIV_KEY_LENGTH * 8) {
                    ourKeySize++;
                }
                if ("valid".equals(t.get("result").asText())) {
                    assertArrayEquals(ct, siv.encryptDeterministically(msg, aad), id);
                    assertArrayEquals(msg, siv.decryptDeterministically(ct, aad), id);
                    valid++;
                } else {
                    assertThrows(GeneralSecurityException.class, () -> siv.decryptDeterministically(ct, aad), id);
                    invalid++;
                }
            }
        }
        System.out.printf("Wycheproof AES-SIV-CMAC: %d valid and %d invalid cases checked (%d with 512-bit keys),"
                + " %d cases with key sizes Tink does not offer refused%n", valid, invalid, ourKeySize,
                otherKeySizeRefused);
        assertTrue(ourKeySize > 0, "no 512-bit-key cases checked");
        assertTrue(valid > 0, "no valid cases checked");
        assertTrue(invalid > 0, "no invalid cases checked");
        assertTrue(otherKeySizeRefused > 0, "no other key sizes checked");
        assertEquals(doc.get("numberOfTests").asInt(), valid + invalid + otherKeySizeRefused, "every case counted");
    }

    private static byte[] hex(JsonNode t, String field) {
        return HEX.parseHex(t.get(field).asText());
    }
}
