package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PropertyCipherTest {

    private static final String CONTEXT = "Customer.email";
    private final PropertyFixture f = new PropertyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void bytesOfManyLengths_roundTrip() {
        Random r = new Random(1);
        for (int n : new int[] {0, 1, 15, 16, 17, 64, 1024, 70_000}) {
            byte[] plain = new byte[n];
            r.nextBytes(plain);
            byte[] ct = f.cipher.encrypt(plain, CONTEXT);
            assertEquals(n + 47, ct.length);
            assertArrayEquals(plain, f.cipher.decrypt(ct, CONTEXT));
        }
    }

    /**
     * "Aa" and "BB" have the same String hash, so they share a slot of the cipher's table of encoded
     * contexts: each must still bind its own bytes, whichever was encoded last.
     */
    @Test
    void contextsWithTheSameHash_stayDistinct() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        byte[] plain = "v".getBytes(UTF_8);
        byte[] underAa = f.cipher.encrypt(plain, "Aa");
        byte[] underBb = f.cipher.encrypt(plain, "BB");
        assertThrows(DecryptionFailedException.class, () -> f.cipher.decrypt(underAa, "BB"));
        assertArrayEquals(plain, f.cipher.decrypt(underAa, new String("Aa"))); // equal, not the same instance
        assertThrows(DecryptionFailedException.class, () -> f.cipher.decrypt(underBb, "Aa"));
        assertArrayEquals(plain, f.cipher.decrypt(underBb, "BB"));
        assertThrows(dev.dataenc.error.TextEncodingException.class, () -> f.cipher.encrypt(plain, "\uD800"));
        assertThrows(dev.dataenc.error.TextEncodingException.class, () -> f.cipher.encrypt(plain, "\uD800"),
                "a refused context is refused every time");
    }

    /** A refused context is refused before a key is fetched: an encryption that never happens is not counted as one. */
    @Test
    void badContext_refusedBeforeTheActiveKeyIsFetched() {
        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        DataKeySource counting = new DataKeySource() {
            @Override
            public DataKey activeKey() {
                fetched.incrementAndGet();
                return f.cache.activeKey();
            }

            @Override
            public DataKey key(CdkId id) {
                fetched.incrementAndGet();
                return f.cache.key(id);
            }
        };
        PropertyCipher cipher = new PropertyCipher(counting);
        byte[] good = cipher.encrypt(new byte[3], CONTEXT);
        assertEquals(1, fetched.get());
        for (String bad : List.of("\uD800", "Col\uDC00umn", "x\uD83D")) {
            assertThrows(dev.dataenc.error.TextEncodingException.class, () -> cipher.encrypt(new byte[3], bad));
            assertThrows(dev.dataenc.error.TextEncodingException.class, () -> cipher.decrypt(good, bad));
        }
        assertEquals(1, fetched.get(), "no key was fetched for a refused context");
    }

    @Test
    void strings_emptyAsciiAndNonAscii_roundTrip() {
        for (String s : List.of("", "a", "john@example.com", "Grüße, Jürgen — 東京 🔐", "\u0000x")) {
            String text = f.cipher.encryptString(s, CONTEXT);
            assertEquals(s, f.cipher.decryptString(text, CONTEXT));
        }
    }

    @Test
    void emptyContext_roundTripsAndDiffersFromNonEmpty() {
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), "");
        assertArrayEquals("x".getBytes(UTF_8), f.cipher.decrypt(ct, ""));
        assertThrows(DecryptionFailedException.class, () -> f.cipher.decrypt(ct, " "));
    }

    @Test
    void textForm_hasPrefixAndUrlSafeAlphabet() {
        String text = f.cipher.encryptString("hello", CONTEXT);
        assertTrue(text.startsWith("dataenc:v1:"));
        assertTrue(PropertyCipher.isEncrypted(text));
        assertTrue(text.substring(11).matches("[A-Za-z0-9_-]+"), text);
        assertEquals(5 + 47, Base64.getUrlDecoder().decode(text.substring(11)).length);
    }

    @Test
    void plainValues_areNotEncrypted() {
        assertFalse(PropertyCipher.isEncrypted(null));
        assertFalse(PropertyCipher.isEncrypted(""));
        assertFalse(PropertyCipher.isEncrypted("john@example.com"));
        assertFalse(PropertyCipher.isEncrypted("dataenc:v2:AAAA"));
        assertFalse(PropertyCipher.isEncrypted("DATAENC:V1:AAAA"));
    }

    @Test
    void binaryForm_hasV1Header() {
        byte[] ct = f.cipher.encrypt(new byte[3], CONTEXT);
        assertEquals((byte) 0xDE, ct[0]);
        assertEquals(1, ct[1]);
        assertEquals(1, ct[2]);
        assertEquals(f.activeId(), CdkId.read(ct, 3));
        assertEquals(3 + 47, ct.length);
    }

    @Test
    void cdkIdOf_namesActiveCdk_forBytesAndText() {
        assertEquals(f.activeId(), PropertyCipher.cdkIdOf(f.cipher.encrypt(new byte[1], CONTEXT)));
        assertEquals(f.activeId(), PropertyCipher.cdkIdOf(f.cipher.encryptString("v", CONTEXT)));
        assertThrows(MalformedCiphertextException.class, () -> PropertyCipher.cdkIdOf("plain"));
        assertThrows(MalformedCiphertextException.class, () -> PropertyCipher.cdkIdOf(new byte[10]));
    }

    @Test
    void sameValueTwice_ciphertextsDiffer() {
        byte[] a = f.cipher.encrypt("same".getBytes(UTF_8), CONTEXT);
        byte[] b = f.cipher.encrypt("same".getBytes(UTF_8), CONTEXT);
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 19, 31), Arrays.copyOfRange(b, 19, 31)), "IVs differ");
        assertNotEquals(f.cipher.encryptString("same", CONTEXT), f.cipher.encryptString("same", CONTEXT));
    }

    @Test
    void otherContext_failsWithDecryptionFailed() {
        byte[] ct = f.cipher.encrypt("alice@example.com".getBytes(UTF_8), CONTEXT);
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class,
                () -> f.cipher.decrypt(ct, "Customer.phone"));
        assertTrue(e.getMessage().contains("Customer.phone"), e.getMessage());
        assertTrue(e.getMessage().contains(f.activeId().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("another context"), e.getMessage());
        assertFalse(e.getMessage().contains("alice"), e.getMessage());
        String text = f.cipher.encryptString("alice@example.com", CONTEXT);
        assertThrows(DecryptionFailedException.class, () -> f.cipher.decryptString(text, "Customer.name"));
    }

    @Test
    void randomBytes_failWithMalformed() {
        Random r = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            if (junk.length > 0 && junk[0] == (byte) 0xDE) {
                junk[0] = 0;
            }
            assertThrows(MalformedCiphertextException.class, () -> f.cipher.decrypt(junk, CONTEXT));
        }
    }

    @Test
    void plaintextStrings_failWithMalformed() {
        for (String s : List.of("", "john@example.com", "dataenc:v1:", "dataenc:v1:!!!!", "dataenc:v2:3gEB",
                "dataenc:v1:AAAA", " dataenc:v1:3gEB", "dataenc:v1:3gEB AAAA", "dataenc:v1:3g==")) {
            MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class,
                    () -> f.cipher.decryptString(s, CONTEXT), s);
            if (s.contains("john")) {
                assertFalse(e.getMessage().contains("john"), e.getMessage());
            }
        }
    }

    @Test
    void firstByteWrong_messageSaysWhatWasFoundAndExpected() {
        MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class,
                () -> f.cipher.decrypt("ABC".getBytes(UTF_8), CONTEXT));
        assertTrue(e.getMessage().contains("0x41") && e.getMessage().contains("0xDE"), e.getMessage());
        byte[] ct = f.cipher.encrypt(new byte[1], CONTEXT);
        ct[1] = 2;
        e = assertThrows(MalformedCiphertextException.class, () -> f.cipher.decrypt(ct, CONTEXT));
        assertTrue(e.getMessage().contains("version 0x02"), e.getMessage());
        ct[1] = 1;
        ct[2] = 7;
        e = assertThrows(MalformedCiphertextException.class, () -> f.cipher.decrypt(ct, CONTEXT));
        assertTrue(e.getMessage().contains("suite 0x07"), e.getMessage());
        ct[2] = 1;
        e = assertThrows(MalformedCiphertextException.class,
                () -> f.cipher.decrypt(Arrays.copyOf(ct, 40), CONTEXT));
        assertTrue(e.getMessage().contains("40 bytes") && e.getMessage().contains("47"), e.getMessage());
    }

    @Test
    void afterRotation_oldCiphertextsDecrypt_newOnesNameNewCdk() {
        CdkId first = f.activeId();
        byte[] old = f.cipher.encrypt("old".getBytes(UTF_8), CONTEXT);
        String oldText = f.cipher.encryptString("old text", CONTEXT);
        Cdk second = f.rotate();
        assertNotEquals(first, second.id());
        byte[] fresh = f.cipher.encrypt("new".getBytes(UTF_8), CONTEXT);
        assertEquals(second.id(), PropertyCipher.cdkIdOf(fresh));
        assertEquals(first, PropertyCipher.cdkIdOf(old));
        assertArrayEquals("old".getBytes(UTF_8), f.cipher.decrypt(old, CONTEXT));
        assertEquals("old text", f.cipher.decryptString(oldText, CONTEXT));
        assertArrayEquals("new".getBytes(UTF_8), f.cipher.decrypt(fresh, CONTEXT));
    }

    @Test
    void ciphertextFromAnotherInstallation_failsWithUnknownCdk() {
        byte[] foreign;
        try (PropertyFixture other = new PropertyFixture()) {
            foreign = other.cipher.encrypt("x".getBytes(UTF_8), CONTEXT);
        }
        UnknownCdkException e = assertThrows(UnknownCdkException.class, () -> f.cipher.decrypt(foreign, CONTEXT));
        assertEquals(PropertyCipher.cdkIdOf(foreign), e.cdkId());
    }

    @Test
    void noActiveCdk_encryptFailsWithNoActiveCdk() {
        try (PropertyFixture empty = new PropertyFixture(false, CacheLimits.defaults())) {
            NoActiveCdkException e = assertThrows(NoActiveCdkException.class,
                    () -> empty.cipher.encryptString("x", CONTEXT));
            assertTrue(e.getMessage().contains("rotate-cdk"), e.getMessage());
        }
    }

    @Test
    void firstKeyAlreadyDestroyed_retryProducesCorrectCiphertext() {
        DataKey good = DataKey.generate(CdkId.random());
        DataKeySource racy = new DestroyingSource(good, 1);
        PropertyCipher cipher = new PropertyCipher(racy);
        byte[] ct = cipher.encrypt("race".getBytes(UTF_8), CONTEXT);
        assertEquals(good.cdkId(), PropertyCipher.cdkIdOf(ct));
        PropertyCipher checker = new PropertyCipher(new DestroyingSource(good, 0));
        assertArrayEquals("race".getBytes(UTF_8), checker.decrypt(ct, CONTEXT));
        // and decryption retries too
        assertArrayEquals("race".getBytes(UTF_8), new PropertyCipher(new DestroyingSource(good, 2)).decrypt(ct, CONTEXT));
    }

    @Test
    void keyAlwaysDestroyed_givesUpWithCdkUnavailable() {
        DataKey good = DataKey.generate(CdkId.random());
        PropertyCipher cipher = new PropertyCipher(new DestroyingSource(good, Integer.MAX_VALUE));
        CdkUnavailableException e = assertThrows(CdkUnavailableException.class,
                () -> cipher.encrypt(new byte[1], CONTEXT));
        assertTrue(e.getMessage().contains("maxEntries"), e.getMessage());
    }

    @Test
    void documentedExample_decryptsToHello() {
        byte[] keyBytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            keyBytes[i] = (byte) i;
        }
        CdkId id = CdkId.parse("123e4567-e89b-12d3-a456-426614174000");
        DataKey key = DataKey.copyOf(id, keyBytes);
        PropertyCipher cipher = new PropertyCipher(new DestroyingSource(key, 0));
        String text = "dataenc:v1:3gEBEj5FZ-ibEtOkVkJmFBdAAKChoqOkpaanqKmqq459EEEqV0W3lTpf7I_dPL_iCNaw5g";
        assertEquals("hello", cipher.decryptString(text, "Customer.email"));
        assertEquals(id, PropertyCipher.cdkIdOf(text));
        byte[] bin = HexFormat.of().parseHex("de0101123e4567e89b12d3a456426614174000a0a1a2a3a4a5a6a7a8a9aaab"
                + "8e7d10412a5745b7953a5fec8fdd3cbfe208d6b0e6");
        assertArrayEquals("hello".getBytes(UTF_8), cipher.decrypt(bin, "Customer.email"));
        assertThrows(DecryptionFailedException.class, () -> cipher.decrypt(bin, "Customer.phone"));
    }

    @Test
    void nullArguments_throwNullPointerNamingParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> f.cipher.encrypt(new byte[1], null));
        assertEquals("context", e.getMessage());
        assertThrows(NullPointerException.class, () -> f.cipher.encrypt(null, CONTEXT));
        assertThrows(NullPointerException.class, () -> f.cipher.decrypt(null, CONTEXT));
        assertThrows(NullPointerException.class, () -> f.cipher.decryptString(null, CONTEXT));
        assertThrows(NullPointerException.class, () -> f.cipher.encryptString("x", null));
    }

    @Test
    void messagesAndToStrings_neverContainPlaintextOrKeyBytes() {
        String secret = "SECRET-PLAINTEXT-7f3a9c";
        List<String> shown = new ArrayList<>();
        byte[] ct = f.cipher.encrypt(secret.getBytes(UTF_8), CONTEXT);
        String text = f.cipher.encryptString(secret, CONTEXT);
        for (int i = 0; i < ct.length; i++) {
            byte[] bad = ct.clone();
            bad[i] ^= 0x01;
            shown.add(messages(assertThrows(DataEncException.class, () -> f.cipher.decrypt(bad, CONTEXT))));
        }
        shown.add(messages(assertThrows(DataEncException.class, () -> f.cipher.decryptString(text, "Other"))));
        shown.add(messages(assertThrows(DataEncException.class, () -> f.cipher.decryptString(secret, CONTEXT))));
        shown.add(messages(assertThrows(DataEncException.class,
                () -> f.cipher.decrypt(secret.getBytes(UTF_8), CONTEXT))));
        shown.add(messages(assertThrows(DataEncException.class,
                () -> f.cipher.decryptString("dataenc:v1:" + secret, CONTEXT))));
        DataKey key = f.cache.activeKey();
        shown.add(f.cipher.toString());
        shown.add(f.cache.toString());
        shown.add(key.toString());
        byte[] keyBytes = key.getEncoded();
        String keyHex = HexFormat.of().formatHex(keyBytes);
        String keyB64 = Base64.getEncoder().encodeToString(keyBytes);
        DataKey.zeroize(keyBytes);
        for (String s : shown) {
            assertFalse(s.contains(secret), s);
            assertFalse(s.contains("7f3a9c"), s);
            assertFalse(s.toLowerCase().contains(keyHex.substring(0, 16)), s);
            assertFalse(s.contains(keyB64.substring(0, 12)), s);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }

    /** Hands out destroyed copies of a key for the first {@code destroyedCount} calls, then a good copy. */
    private static final class DestroyingSource implements DataKeySource {
        private final DataKey key;
        private final int destroyedCount;
        private final AtomicInteger calls = new AtomicInteger();

        DestroyingSource(DataKey key, int destroyedCount) {
            this.key = key;
            this.destroyedCount = destroyedCount;
        }

        @Override
        public DataKey activeKey() {
            return key(key.cdkId());
        }

        @Override
        public DataKey key(CdkId id) {
            byte[] b = key.getEncoded();
            DataKey copy = DataKey.copyOf(key.cdkId(), b);
            DataKey.zeroize(b);
            if (calls.getAndIncrement() < destroyedCount) {
                copy.destroy();
            }
            return copy;
        }
    }
}
