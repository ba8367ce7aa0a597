package dev.dataenc.kms.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The test server's ciphertext blobs: real AES-256-GCM under a key's backing key, in the layout
 * {@code 0x01 | key id (16-byte UUID) | backing key version (int32) | IV (12) | ciphertext | tag (16)}.
 * The AAD is the 21-byte header followed by the canonical encryption context (entries sorted by key, each
 * as length-prefixed UTF-8 key and value), so a changed header or context fails authentication.
 * (Real KMS blobs are opaque and differ; callers must not parse them, and dataenc does not.)
 */
final class KmsCiphertext {

    static final int HEADER = 1 + 16 + 4;
    private static final byte FORMAT = 0x01;
    private static final int IV = 12;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The parsed header of a blob. */
    record Header(UUID keyId, int version) {
    }

    private KmsCiphertext() {
    }

    static byte[] encrypt(UUID keyId, int version, SecretKey backingKey, byte[] plaintext, Map<String, String> context) {
        byte[] out = new byte[HEADER + IV + plaintext.length + TAG];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.put(FORMAT).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits()).putInt(version);
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        b.put(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, backingKey, new GCMParameterSpec(TAG * 8, iv));
            c.updateAAD(out, 0, HEADER);
            c.updateAAD(canonical(context));
            c.doFinal(plaintext, 0, plaintext.length, out, HEADER + IV);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Reads the header; InvalidCiphertextException if the blob cannot be one of ours. */
    static Header header(byte[] blob) {
        if (blob.length < HEADER + IV + TAG || blob[0] != FORMAT) {
            throw KmsError.invalidCiphertext();
        }
        ByteBuffer b = ByteBuffer.wrap(blob, 1, HEADER - 1);
        return new Header(new UUID(b.getLong(), b.getLong()), b.getInt());
    }

    /** Decrypts; InvalidCiphertextException if the blob, its header or the context do not authenticate. */
    static byte[] decrypt(byte[] blob, SecretKey backingKey, Map<String, String> context) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, backingKey, new GCMParameterSpec(TAG * 8, blob, HEADER, IV));
            c.updateAAD(blob, 0, HEADER);
            c.updateAAD(canonical(context));
            return c.doFinal(blob, HEADER + IV, blob.length - HEADER - IV);
        } catch (GeneralSecurityException e) {
            throw KmsError.invalidCiphertext();
        }
    }

    private static byte[] canonical(Map<String, String> context) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            for (String s : new String[] {e.getKey(), e.getValue()}) {
                byte[] u = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(u.length).array());
                out.writeBytes(u);
            }
        }
        return out.toByteArray();
    }
}
