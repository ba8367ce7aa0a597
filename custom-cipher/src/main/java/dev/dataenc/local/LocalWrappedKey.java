package dev.dataenc.local;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The bytes of a wrapping made by the {@code local} keystore.
 *
 * <pre>
 * aes-gcm: 0x01 | IV (12) | AES-256-GCM(CDK, 32) | tag (16)          = 61 bytes
 *          AAD  = "dataenc/local/aes-gcm/v1" | CDK id (16) | master key version (int32, big-endian)
 * aes-kwp: 0x02 | AES-KWP(CDK id (16) | CDK (32))                     = 57 bytes
 * </pre>
 * The master key version itself is not in the bytes; it is {@code Wrapping.masterKeyVersion()}.
 */
final class LocalWrappedKey {

    static final int GCM_LENGTH = 1 + 12 + DataKey.LENGTH + 16;
    static final int KWP_LENGTH = 1 + CdkId.LENGTH + DataKey.LENGTH + 8;

    private static final byte[] GCM_DOMAIN = "dataenc/local/aes-gcm/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalWrappedKey() {
    }

    /** Wraps 32 key bytes of CDK {@code id} under master key version {@code version}. */
    static byte[] wrap(WrapAlgorithm algorithm, SecretKey masterKey, int version, CdkId id, byte[] key) {
        try {
            return algorithm == WrapAlgorithm.AES_GCM
                    ? wrapGcm(masterKey, version, id, key)
                    : wrapKwp(masterKey, id, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot " + algorithm.settingValue() + "-wrap with AES-256: " + e, e);
        }
    }

    /**
     * Unwraps; the caller owns (and must zeroize) the returned 32 bytes.
     *
     * @param what describes the wrapping for messages (CDK id, master key, version); never secret
     * @throws WrappedKeyException if the bytes are malformed or do not authenticate for this CDK id
     */
    static byte[] unwrap(SecretKey masterKey, int version, CdkId id, byte[] wrapped, String what) {
        if (wrapped.length == 0) {
            throw new WrappedKeyException("the wrapped key of " + what + " is empty");
        }
        WrapAlgorithm algorithm = WrapAlgorithm.fromFormatByte(wrapped[0]).orElseThrow(() -> new WrappedKeyException(
                "the wrapped key of " + what + " starts with unknown format byte " + String.format("0x%02x", wrapped[0])
                        + "; this version reads " + WrapAlgorithm.validFormatBytes()));
        int expected = algorithm == WrapAlgorithm.AES_GCM ? GCM_LENGTH : KWP_LENGTH;
        if (wrapped.length != expected) {
            throw new WrappedKeyException("the wrapped key of " + what + " has " + wrapped.length
                    + " bytes; an " + algorithm.settingValue() + " wrapping of the local keystore has " + expected);
        }
        try {
            return algorithm == WrapAlgorithm.AES_GCM
                    ? unwrapGcm(masterKey, version, id, wrapped)
                    : unwrapKwp(masterKey, id, wrapped);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw notAuthentic(what, null);
        } catch (GeneralSecurityException e) {
            throw notAuthentic(what, e);
        }
    }

    private static WrappedKeyException notAuthentic(String what, Throwable cause) {
        return new WrappedKeyException("the wrapped key of " + what + " does not authenticate: it was altered,"
                + " belongs to another CDK, or was made by another master key", cause);
    }

    private static byte[] wrapGcm(SecretKey masterKey, int version, CdkId id, byte[] key) throws GeneralSecurityException {
        byte[] out = new byte[GCM_LENGTH];
        out[0] = WrapAlgorithm.AES_GCM.formatByte();
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        System.arraycopy(iv, 0, out, 1, 12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, iv));
        c.updateAAD(gcmAad(id, version));
        c.doFinal(key, 0, key.length, out, 13);
        return out;
    }

    private static byte[] unwrapGcm(SecretKey masterKey, int version, CdkId id, byte[] wrapped)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(128, wrapped, 1, 12));
        c.updateAAD(gcmAad(id, version));
        return c.doFinal(wrapped, 13, wrapped.length - 13);
    }

    private static byte[] gcmAad(CdkId id, int version) {
        return ByteBuffer.allocate(GCM_DOMAIN.length + CdkId.LENGTH + 4)
                .put(GCM_DOMAIN).put(id.toBytes()).putInt(version).array();
    }

    private static byte[] wrapKwp(SecretKey masterKey, CdkId id, byte[] key) throws GeneralSecurityException {
        byte[] plain = new byte[CdkId.LENGTH + DataKey.LENGTH];
        try {
            id.write(plain, 0);
            System.arraycopy(key, 0, plain, CdkId.LENGTH, key.length);
            byte[] w = AesKwp.wrap(masterKey, plain);
            byte[] out = new byte[1 + w.length];
            out[0] = WrapAlgorithm.AES_KWP.formatByte();
            System.arraycopy(w, 0, out, 1, w.length);
            return out;
        } finally {
            DataKey.zeroize(plain);
        }
    }

    private static byte[] unwrapKwp(SecretKey masterKey, CdkId id, byte[] wrapped) throws GeneralSecurityException {
        byte[] body = new byte[wrapped.length - 1];
        System.arraycopy(wrapped, 1, body, 0, body.length);
        byte[] plain = AesKwp.unwrap(masterKey, body);
        try {
            if (plain.length != CdkId.LENGTH + DataKey.LENGTH) {
                throw new AEADBadTagException("unexpected unwrapped length");
            }
            byte[] embeddedId = new byte[CdkId.LENGTH];
            System.arraycopy(plain, 0, embeddedId, 0, CdkId.LENGTH);
            if (!MessageDigest.isEqual(embeddedId, id.toBytes())) {
                throw new AEADBadTagException("wrapped for another CDK");
            }
            byte[] key = new byte[DataKey.LENGTH];
            System.arraycopy(plain, CdkId.LENGTH, key, 0, DataKey.LENGTH);
            return key;
        } finally {
            DataKey.zeroize(plain);
        }
    }
}
