package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.testing.FixedDataKeySource;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterministicCipherTest {

    private static final String CONTEXT = "Customer.email";

    private final DataKey oldKey = DataKey.generate(CdkId.random());
    private final DataKey newKey = DataKey.generate(CdkId.random());
    private final FixedDataKeySource keys = new FixedDataKeySource(List.of(oldKey, newKey), 0);
    private final List<CdkId> inUse = new ArrayList<>(List.of(oldKey.cdkId()));
    private final DeterministicCipher cipher = new DeterministicCipher(keys, () -> inUse);

    @Test
    void sameInputs_giveSameCiphertext_andDecrypt() {
        String a = cipher.encryptString("alice@example.com", CONTEXT);
        assertEquals(a, cipher.encryptString("alice@example.com", CONTEXT));
        assertTrue(a.startsWith("dataenc:d1:3gED"), a);
        assertEquals("alice@example.com", cipher.decryptString(a, CONTEXT));
        assertEquals(oldKey.cdkId(), DeterministicCipher.cdkIdOf(a));
        assertTrue(DeterministicCipher.isEncrypted(a));
        assertFalse(PropertyCipher.isEncrypted(a));
        assertEquals(17 + DeterministicCipher.OVERHEAD_BYTES, cipher.encrypt("alice@example.com".getBytes(UTF_8), CONTEXT).length);
    }

    @Test
    void otherValueContextOrCdk_giveOtherCiphertext() {
        String a = cipher.encryptString("alice@example.com", CONTEXT);
        assertNotEquals(a, cipher.encryptString("bob@example.com", CONTEXT));
        assertNotEquals(a, cipher.encryptString("alice@example.com", "Customer.phone"));
        keys.activate(newKey.cdkId());
        assertNotEquals(a, cipher.encryptString("alice@example.com", CONTEXT));
    }

    @Test
    void otherContext_failsToDecrypt() {
        String a = cipher.encryptString("alice@example.com", CONTEXT);
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class,
                () -> cipher.decryptString(a, "Customer.phone"));
        assertFalse(e.getMessage().contains("alice"), e.getMessage());
    }

    @Test
    void everyFlippedBit_failsToDecrypt() {
        byte[] ct = cipher.encrypt("alice".getBytes(UTF_8), CONTEXT);
        for (int i = 0; i < ct.length * 8; i++) {
            byte[] bad = ct.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            int bit = i;
            assertThrows(RuntimeException.class, () -> cipher.decrypt(bad, CONTEXT), "bit " + bit);
        }
        byte[] cut = java.util.Arrays.copyOf(ct, ct.length - 1);
        assertThrows(DecryptionFailedException.class, () -> cipher.decrypt(cut, CONTEXT));
        assertThrows(MalformedCiphertextException.class, () -> cipher.decrypt(java.util.Arrays.copyOf(ct, 34), CONTEXT));
    }

    @Test
    void headerCdkIdChangedToAnotherKnownCdk_failsToDecrypt() {
        byte[] ct = cipher.encrypt("alice".getBytes(UTF_8), CONTEXT);
        newKey.cdkId().write(ct, 3);
        assertThrows(DecryptionFailedException.class, () -> cipher.decrypt(ct, CONTEXT));
        CdkId.random().write(ct, 3);
        assertThrows(UnknownCdkException.class, () -> cipher.decrypt(ct, CONTEXT));
    }

    @Test
    void randomisedCiphertext_isRefusedAsMalformed_andViceVersa() {
        PropertyCipher random = new PropertyCipher(keys);
        String r = random.encryptString("alice", CONTEXT);
        MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class,
                () -> cipher.decryptString(r, CONTEXT));
        assertTrue(e.getMessage().contains("PropertyCipher"), e.getMessage());
        String d = cipher.encryptString("alice", CONTEXT);
        e = assertThrows(MalformedCiphertextException.class, () -> random.decryptString(d, CONTEXT));
        assertTrue(e.getMessage().contains("DeterministicCipher"), e.getMessage());
        assertThrows(MalformedCiphertextException.class, () -> cipher.decrypt(random.encrypt(new byte[3], CONTEXT), CONTEXT));
    }

    @Test
    void lookup_afterRotation_yieldsCiphertextsUnderEveryCdkInUse() {
        String underOld = cipher.encryptString("alice@example.com", CONTEXT);
        keys.activate(newKey.cdkId());
        inUse.add(0, newKey.cdkId());
        String underNew = cipher.encryptString("alice@example.com", CONTEXT);
        assertEquals(List.of(underNew, underOld), cipher.lookupStrings("alice@example.com", CONTEXT));
        inUse.remove(oldKey.cdkId()); // retired
        assertEquals(List.of(underNew), cipher.lookupStrings("alice@example.com", CONTEXT));
    }

    @Test
    void documentedExample_matchesIndependentImplementation() {
        byte[] keyBytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            keyBytes[i] = (byte) i;
        }
        CdkId id = CdkId.parse("123e4567-e89b-12d3-a456-426614174000");
        DeterministicCipher doc = new DeterministicCipher(
                new FixedDataKeySource(List.of(DataKey.copyOf(id, keyBytes)), 0), () -> List.of(id));
        String text = "dataenc:d1:3gEDEj5FZ-ibEtOkVkJmFBdAAKm_2YlQUdfVUGDNYGi7enYRAXULy9n8zUVu5Zl504U-aA";
        assertEquals(text, doc.encryptString("alice@example.com", CONTEXT));
        assertEquals("alice@example.com", doc.decryptString(text, CONTEXT));
        byte[] bin = HexFormat.of().parseHex("de0103123e4567e89b12d3a456426614174000a9bfd9895051d7d55060cd6068bb7a76"
                + "1101750bcbd9fccd456ee59979d3853e68");
        assertArrayEquals(bin, doc.encrypt("alice@example.com".getBytes(UTF_8), CONTEXT));
        CiphertextInfo info = CiphertextInfo.ofText(text);
        assertEquals(CiphertextInfo.Kind.DETERMINISTIC, info.kind());
        assertEquals(id, info.cdkId());
        assertEquals(17, info.plaintextBytes());
        assertEquals(3, info.suiteId());
        assertEquals(CiphertextInfo.Kind.DETERMINISTIC, CiphertextInfo.ofBinary(bin, bin.length).kind());
        // the empty plaintext (docs/FORMAT.md, computed by reference/dataenc_format.py)
        String empty = "dataenc:d1:3gEDEj5FZ-ibEtOkVkJmFBdAAFYDpAxfdbHNaBCO8a6KZz8";
        assertEquals(empty, doc.encryptString("", CONTEXT));
        assertArrayEquals(HexFormat.of().parseHex("de0103123e4567e89b12d3a4564266141740005603a40c5f75b1cd68108ef1ae8a673f"),
                doc.encrypt(new byte[0], CONTEXT));
        assertEquals("", doc.decryptString(empty, CONTEXT));
    }

    @Test
    void textWithSwappedPrefix_isMalformed() {
        String d = cipher.encryptString("alice", CONTEXT);
        String swapped = PropertyCipher.TEXT_PREFIX + d.substring(DeterministicCipher.TEXT_PREFIX.length());
        assertThrows(MalformedCiphertextException.class, () -> CiphertextInfo.ofText(swapped));
    }

    @Test
    void derivedKey_isKeptWhileItsCdkKeyLives_andDroppedWhenTheCacheEvictsIt() {
        try (PropertyFixture f = new PropertyFixture()) {
            DeterministicCipher c = new DeterministicCipher(f.cache, () -> List.of(f.activeId()));
            String a = c.encryptString("alice@example.com", CONTEXT);
            assertEquals(a, c.encryptString("alice@example.com", CONTEXT));
            assertEquals("alice@example.com", c.decryptString(a, CONTEXT));
            assertEquals(1, c.derivedKeys(), "one derivation serves every operation under one cached CDK key");

            f.cache.evictAll();
            assertEquals(0, c.derivedKeys(), "dropped together with the evicted (destroyed) key");
            assertEquals("alice@example.com", c.decryptString(a, CONTEXT), "derived again from the reloaded key");
            assertEquals(a, c.encryptString("alice@example.com", CONTEXT));
            assertEquals(1, c.derivedKeys());
        }
    }

    @Test
    void destroyedKeyHandedOut_theLiveKeyIsUsedAndTracked() {
        keys.handOutDestroyedKeys(1); // as if the cache evicted the key just as it was handed out
        String a = cipher.encryptString("alice@example.com", CONTEXT);
        assertEquals("alice@example.com", cipher.decryptString(a, CONTEXT));
        assertEquals(1, cipher.derivedKeys());
        oldKey.destroy();
        assertEquals(0, cipher.derivedKeys(), "the primitive follows the key its bytes came from, not the dead copy");
    }
}
