package dev.dataenc.azure;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The bytes of a wrapping made by the {@code azure-key-vault} keystore.
 *
 * <pre>
 * 0x01 | alg (1: 0x01 RSA-OAEP-256, 0x02 A256KW) | kid length (2, big-endian) | kid (UTF-8) | Key Vault's wrapped bytes
 * wrapped plaintext = CDK (32) | binding (16)
 * binding           = first 16 bytes of SHA-256("dataenc/azure-key-vault/cdk-id/v1" | CDK id (16))
 * </pre>
 * {@code kid} is the full key id with version ({@code https://<vault>/keys/<name>/<version>}) that wrapped it, so
 * unwrapping goes to exactly that version. RSA-OAEP and AES-KW take no associated data, so the CDK id is bound inside
 * the wrapped plaintext: RSA-OAEP (IND-CCA2) and AES-KW (an integrity check over the whole plaintext) let nobody
 * without the key change it, and unwrapping checks it (constant time) against the CDK id asked for.
 */
final class AzureWrappedKey {

    static final byte FORMAT = 0x01;
    static final int PLAINTEXT_LENGTH = DataKey.LENGTH + 16;
    private static final int MAX_KID = 1024;
    private static final byte[] DOMAIN = "dataenc/azure-key-vault/cdk-id/v1".getBytes(StandardCharsets.US_ASCII);

    /** The wrap algorithm a key type takes. */
    enum Alg {
        RSA_OAEP_256((byte) 0x01, "RSA-OAEP-256"),
        A256KW((byte) 0x02, "A256KW");

        final byte code;
        final String jwa;

        Alg(byte code, String jwa) {
            this.code = code;
            this.jwa = jwa;
        }

        static Alg of(byte code) {
            for (Alg a : values()) {
                if (a.code == code) {
                    return a;
                }
            }
            return null;
        }
    }

    /**
     * A parsed wrapping.
     *
     * @param alg     the algorithm Key Vault wrapped with
     * @param kid     the full (versioned) key id that wrapped it
     * @param wrapped Key Vault's wrapped bytes
     */
    record Parsed(Alg alg, String kid, byte[] wrapped) {
    }

    private AzureWrappedKey() {
    }

    /** The plaintext to hand to Key Vault's wrapKey: the CDK followed by its id binding. Caller zeroizes it. */
    static byte[] plaintext(CdkId id, byte[] key) {
        return ByteBuffer.allocate(PLAINTEXT_LENGTH).put(key).put(binding(id)).array();
    }

    /** The stored bytes. */
    static byte[] encode(Alg alg, String kid, byte[] wrapped) {
        byte[] k = kid.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + k.length + wrapped.length).put(FORMAT).put(alg.code)
                .putShort((short) k.length).put(k).put(wrapped).array();
    }

    /** Parses stored bytes; {@code what} names the CDK for messages. */
    static Parsed decode(byte[] b, String what) {
        if (b.length < 5 || b[0] != FORMAT) {
            throw malformed(what, b, "is too short or has an unknown format");
        }
        Alg alg = Alg.of(b[1]);
        int kidLen = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (alg == null || kidLen == 0 || kidLen > MAX_KID || 4 + kidLen >= b.length) {
            throw malformed(what, b, "has a bad header");
        }
        String kid = new String(b, 4, kidLen, StandardCharsets.UTF_8);
        return new Parsed(alg, kid, Arrays.copyOfRange(b, 4 + kidLen, b.length));
    }

    /**
     * Checks the plaintext Key Vault unwrapped and returns the CDK bytes (the caller owns and zeroizes them).
     * Zeroizes {@code plain}.
     */
    static byte[] key(CdkId id, byte[] plain, String what) {
        try {
            if (plain.length != PLAINTEXT_LENGTH || !MessageDigest.isEqual(binding(id),
                    Arrays.copyOfRange(plain, DataKey.LENGTH, PLAINTEXT_LENGTH))) {
                throw notAuthentic(what);
            }
            return Arrays.copyOf(plain, DataKey.LENGTH);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    static WrappedKeyException notAuthentic(String what) {
        return new WrappedKeyException("the wrapped key of " + what + " does not unwrap: it was altered, belongs to"
                + " another CDK, or was made by another key");
    }

    private static WrappedKeyException malformed(String what, byte[] b, String why) {
        return new WrappedKeyException("the wrapped key of " + what + " (" + b.length + " bytes) " + why
                + "; an azure-key-vault wrapping starts 0x01 and names the key version that made it");
    }

    private static byte[] binding(CdkId id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update(id.toBytes());
            return Arrays.copyOf(sha.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
