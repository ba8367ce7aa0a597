package dev.dataenc.pkcs11;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The bytes of a wrapping made by the {@code pkcs11} keystore; every operation runs on the token.
 *
 * <pre>
 * 0x01 | IV (12, random) | AES-256-GCM(CDK, 32) | tag (16)      = 61 bytes
 * AAD  = "dataenc/pkcs11/aes-gcm/v1" | CDK id (16)
 * </pre>
 * The master key is named by {@code Wrapping.masterKeyId()} ({@code <key label>/<fingerprint>}), not in the bytes.
 */
final class Pkcs11WrappedKey {

    static final byte FORMAT = 0x01;
    static final int LENGTH = 1 + 12 + DataKey.LENGTH + 16;

    private static final byte[] DOMAIN = "dataenc/pkcs11/aes-gcm/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINGERPRINT_AAD = "dataenc/pkcs11/key-fingerprint/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs11WrappedKey() {
    }

    /** Wraps the 32 key bytes of CDK {@code id} with {@code masterKey} on the token. */
    static byte[] wrap(Provider token, SecretKey masterKey, CdkId id, byte[] key) throws GeneralSecurityException {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        Cipher c = Cipher.getInstance(WrapMechanism.GCM, token);
        c.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, iv));
        c.updateAAD(aad(id));
        byte[] sealed = c.doFinal(key);
        return ByteBuffer.allocate(LENGTH).put(FORMAT).put(iv).put(sealed).array();
    }

    /**
     * Unwraps on the token; the caller owns (and must zeroize) the returned 32 bytes.
     *
     * @throws WrappedKeyException if the bytes are malformed or do not authenticate for this CDK id
     * @throws GeneralSecurityException if the token refuses the key or the operation (key state, token errors)
     */
    static byte[] unwrap(Provider token, SecretKey masterKey, CdkId id, byte[] wrapped, String what)
            throws GeneralSecurityException {
        if (wrapped.length != LENGTH || wrapped[0] != FORMAT) {
            throw new WrappedKeyException("the wrapped key of " + what + " has " + wrapped.length + " bytes"
                    + (wrapped.length > 0 ? String.format(" starting 0x%02x", wrapped[0]) : "")
                    + "; a pkcs11 wrapping has " + LENGTH + " bytes starting 0x01");
        }
        Cipher c = Cipher.getInstance(WrapMechanism.GCM, token);
        c.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(128, wrapped, 1, 12));
        c.updateAAD(aad(id));
        byte[] plain;
        try {
            plain = c.doFinal(wrapped, 13, wrapped.length - 13);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw notAuthentic(what, null);
        } catch (java.security.ProviderException e) {
            if (Pkcs11Errors.is(e, Pkcs11Errors.NOT_AUTHENTIC)) {
                throw notAuthentic(what, null);
            }
            throw e;
        }
        if (plain.length != DataKey.LENGTH) {
            DataKey.zeroize(plain);
            throw notAuthentic(what, null);
        }
        return plain;
    }

    /**
     * A non-secret fingerprint of a master key, 16 hex digits: the first 8 bytes of the GCM tag over a fixed
     * associated data and one zero byte, with an all-zero IV. Tells two keys with the same label apart; reveals
     * nothing usable about the key (not {@code E(K, 0)}, which would be GCM's hash key). (One plaintext byte, because
     * Java 17's SunPKCS11 crashes the JVM on a GCM encryption of nothing.)
     */
    static String fingerprint(Provider token, SecretKey masterKey) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(WrapMechanism.GCM, token);
        c.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, new byte[12]));
        c.updateAAD(FINGERPRINT_AAD);
        byte[] sealed = c.doFinal(new byte[1]);
        return HexFormat.of().formatHex(sealed, 1, 9);
    }

    private static byte[] aad(CdkId id) {
        return ByteBuffer.allocate(DOMAIN.length + CdkId.LENGTH).put(DOMAIN).put(id.toBytes()).array();
    }

    private static WrappedKeyException notAuthentic(String what, Throwable cause) {
        return new WrappedKeyException("the wrapped key of " + what + " does not authenticate: it was altered,"
                + " belongs to another CDK, or was made by another master key", cause);
    }
}
