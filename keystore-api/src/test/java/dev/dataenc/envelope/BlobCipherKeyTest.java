package dev.dataenc.envelope;

import static dev.dataenc.envelope.BlobTestSupport.CONTEXT;
import static dev.dataenc.envelope.BlobTestSupport.SEGMENT;
import static dev.dataenc.envelope.BlobTestSupport.decrypt;
import static dev.dataenc.envelope.BlobTestSupport.encrypt;
import static dev.dataenc.envelope.BlobTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.NoActiveCdkException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.testing.FixedDataKeySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Key selection, contexts, eviction races and input that is not a BLOB. */
class BlobCipherKeyTest {

    private final DataKey k1 = DataKey.generate(CdkId.random());
    private final DataKey k2 = DataKey.generate(CdkId.random());
    private final FixedDataKeySource keys = new FixedDataKeySource(List.of(k1, k2), 0);
    private final BlobCipher cipher = new BlobCipher(keys, SEGMENT);

    @Test
    void wrongContext_failsDecryption() throws IOException {
        byte[] ct = encrypt(cipher, randomBytes(100, 1), "Customer.photo");
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> decrypt(cipher, ct, "Customer.scan"));
        assertTrue(e.getMessage().contains("context"), e.getMessage());
    }

    @Test
    void unknownCdk_failsWithUnknownCdk() throws IOException {
        FixedDataKeySource other = FixedDataKeySource.withRandomKey();
        byte[] ct = encrypt(new BlobCipher(other, SEGMENT), randomBytes(10, 2), CONTEXT);
        UnknownCdkException e = assertThrows(UnknownCdkException.class, () -> decrypt(cipher, ct, CONTEXT));
        assertEquals(other.activeId(), e.cdkId());
    }

    @Test
    void decryption_usesTheCdkNamedInTheHeader() throws IOException {
        byte[] plain = randomBytes(SEGMENT + 3, 3);
        byte[] underK1 = encrypt(cipher, plain, CONTEXT);
        keys.activate(k2.cdkId());
        byte[] underK2 = encrypt(cipher, plain, CONTEXT);
        assertEquals(k1.cdkId(), BlobCipher.cdkIdOf(underK1));
        assertEquals(k2.cdkId(), BlobCipher.cdkIdOf(Arrays.copyOf(underK2, BlobFormat.HEADER_LENGTH)));
        int before = keys.calls();
        assertArrayEquals(plain, decrypt(cipher, underK1, CONTEXT));
        assertArrayEquals(plain, decrypt(cipher, underK2, CONTEXT));
        assertEquals(before + 2, keys.calls(), "one key lookup per BLOB, no trial decryption");
    }

    @Test
    void noActiveCdk_failsEncryption() {
        BlobCipher none = new BlobCipher(new FixedDataKeySource(List.of(), 0), SEGMENT);
        assertThrows(NoActiveCdkException.class, () -> none.encryptingStream(new ByteArrayOutputStream(), CONTEXT));
    }

    @Test
    void keyEvictedBetweenFetchAndUse_isFetchedAgain() throws IOException {
        byte[] plain = randomBytes(500, 4);
        keys.handOutDestroyedKeys(2);
        byte[] ct = encrypt(cipher, plain, CONTEXT);
        keys.handOutDestroyedKeys(2);
        assertArrayEquals(plain, decrypt(cipher, ct, CONTEXT));
    }

    @Test
    void keyEvictedOnEveryAttempt_failsWithCdkUnavailable() throws IOException {
        byte[] ct = encrypt(cipher, randomBytes(5, 5), CONTEXT);
        keys.handOutDestroyedKeys(100);
        CdkUnavailableException e = assertThrows(CdkUnavailableException.class,
                () -> cipher.encryptingStream(new ByteArrayOutputStream(), CONTEXT));
        assertTrue(e.getMessage().contains("cache"), e.getMessage());
        assertThrows(CdkUnavailableException.class, () -> decrypt(cipher, ct, CONTEXT));
    }

    @Test
    void keyDestroyedAfterStreamStarted_doesNotAffectIt() throws IOException {
        DataKey evictable = DataKey.generate(CdkId.random());
        byte[] saved = evictable.getEncoded();
        FixedDataKeySource source = new FixedDataKeySource(List.of(evictable), 0);
        BlobCipher c = new BlobCipher(source, SEGMENT);
        byte[] plain = randomBytes(3 * SEGMENT, 6);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (OutputStream enc = c.encryptingStream(ct, CONTEXT)) {
            enc.write(plain, 0, SEGMENT + 1);
            evictable.destroy(); // cache eviction in the middle of the stream
            enc.write(plain, SEGMENT + 1, plain.length - SEGMENT - 1);
        }
        FixedDataKeySource reloaded = new FixedDataKeySource(List.of(DataKey.copyOf(evictable.cdkId(), saved)), 0);
        assertArrayEquals(plain, decrypt(new BlobCipher(reloaded), ct.toByteArray(), CONTEXT));
    }

    @Test
    void foreignOrShortInput_failsMalformed() {
        assertThrows(MalformedCiphertextException.class, () -> decrypt(cipher, new byte[0], CONTEXT));
        assertThrows(MalformedCiphertextException.class, () -> decrypt(cipher, new byte[] {(byte) 0xDE, 1, 2}, CONTEXT));
        byte[] pdf = "%PDF-1.7 a perfectly ordinary unencrypted document with enough bytes to fill a header"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MalformedCiphertextException e = assertThrows(MalformedCiphertextException.class, () -> decrypt(cipher, pdf, CONTEXT));
        assertTrue(e.getMessage().contains("not encrypted by dataenc"), e.getMessage());
        assertThrows(MalformedCiphertextException.class, () -> BlobCipher.cdkIdOf(pdf));
        assertThrows(MalformedCiphertextException.class, () -> BlobCipher.cdkIdOf(new byte[10]));
    }

    @Test
    void propertyCiphertextOrOtherVersion_failsMalformedNamingTheCause() throws IOException {
        byte[] ct = encrypt(cipher, randomBytes(10, 7), CONTEXT);
        byte[] v2 = ct.clone();
        v2[1] = 2;
        assertTrue(assertThrows(MalformedCiphertextException.class, () -> decrypt(cipher, v2, CONTEXT))
                .getMessage().contains("version"));
        byte[] suite1 = ct.clone();
        suite1[2] = 1;
        assertTrue(assertThrows(MalformedCiphertextException.class, () -> decrypt(cipher, suite1, CONTEXT))
                .getMessage().contains("suite"));
    }

    @Test
    void segmentSizeOutOfRange_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BlobCipher(keys, 4095));
        assertThrows(IllegalArgumentException.class, () -> new BlobCipher(keys, 16 * 1024 * 1024 + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BlobCipher(keys, 0));
        assertTrue(e.getMessage().contains("4 KiB"), e.getMessage());
        assertEquals(16 * 1024 * 1024, new BlobCipher(keys, 16 * 1024 * 1024).segmentSize());
    }

    @Test
    void messagesAndToString_revealNoKeyOrPlaintext() throws IOException {
        byte[] plain = "SECRET-PLAINTEXT-VALUE".repeat(300).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] ct = encrypt(cipher, plain, CONTEXT);
        byte[] bad = ct.clone();
        bad[bad.length - 1] ^= 1;
        InputStream in = cipher.decryptingStream(new ByteArrayInputStream(bad), CONTEXT);
        String hexKey = HexFormat.of().formatHex(k1.getEncoded());
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class, in::readAllBytes);
        EncryptingOutputStream enc = cipher.encryptingStream(new ByteArrayOutputStream(), CONTEXT);
        for (String s : List.of(e.getMessage(), in.toString(), enc.toString(), cipher.toString())) {
            assertFalse(s.contains("SECRET"), s);
            assertFalse(s.toLowerCase().contains(hexKey.substring(0, 12)), s);
        }
    }
}
