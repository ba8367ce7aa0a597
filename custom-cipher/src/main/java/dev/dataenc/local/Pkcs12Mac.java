package dev.dataenc.local;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.security.auth.DestroyFailedException;

/**
 * The integrity MAC of a PKCS#12 file ({@code MacData}, RFC 7292 section 4): reads its iteration count and
 * replaces it by one with dataenc's iteration count. JDK 17 can set the iterations of each key bag through
 * the API, but the MAC's only through JVM-wide properties, which a library must not change; so the file the
 * JDK writes is re-MACed here: HMAC-SHA-256 keyed by the PKCS#12 key derivation (RFC 7292 appendix B, the
 * {@code HmacPBESHA256} of the JDK, the same as {@code keytool} and OpenSSL write), a fresh 32-byte salt and
 * {@link Pkcs12Protection#ITERATIONS} iterations, over the same authenticated-safe bytes. The JDK verifies it
 * on every load.
 */
final class Pkcs12Mac {

    private static final byte[] SHA256_OID = HexFormat.of().parseHex("0609608648016503040201");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs12Mac() {
    }

    /** The MAC's iteration count (1 when the field is absent, as RFC 7292 says), or 0 when the file has no MAC. */
    static int iterations(byte[] pfx) throws IOException {
        List<Der.Element> parts = Der.parse(pfx).expect(Der.SEQUENCE).children();
        if (parts.size() < 3) {
            return 0;
        }
        List<Der.Element> macData = parts.get(2).expect(Der.SEQUENCE).children();
        return macData.size() < 3 ? 1 : macData.get(2).intValue();
    }

    /** {@code pfx} with its MAC replaced by an HMAC-SHA-256 MAC with {@code iterations} iterations. */
    static byte[] reMac(byte[] pfx, char[] password, int iterations) throws IOException, GeneralSecurityException {
        List<Der.Element> parts = Der.parse(pfx).expect(Der.SEQUENCE).children();
        if (parts.size() < 2) {
            throw new IOException("not a PKCS#12 PFX");
        }
        Der.Element version = parts.get(0).expect(Der.INTEGER);
        Der.Element authSafe = parts.get(1).expect(Der.SEQUENCE);
        List<Der.Element> contentInfo = authSafe.children();
        if (contentInfo.size() != 2) {
            throw new IOException("unexpected authSafe ContentInfo");
        }
        byte[] authenticated = contentInfo.get(1).expect(Der.CONTEXT_0).children().get(0).expect(Der.OCTET_STRING).content();

        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        byte[] mac = mac(authenticated, password, salt, iterations);
        byte[] digestInfo = Der.encode(Der.SEQUENCE, Der.encode(Der.SEQUENCE, SHA256_OID, new byte[] {Der.NULL, 0}),
                Der.encode(Der.OCTET_STRING, mac));
        byte[] macData = Der.encode(Der.SEQUENCE, digestInfo, Der.encode(Der.OCTET_STRING, salt), Der.integer(iterations));
        return Der.encode(Der.SEQUENCE, version.encoding(), authSafe.encoding(), macData);
    }

    private static byte[] mac(byte[] data, char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password);
        SecretKey key = SecretKeyFactory.getInstance("PBE").generateSecret(spec);
        spec.clearPassword();
        try {
            Mac m = Mac.getInstance("HmacPBESHA256");
            m.init(key, new PBEParameterSpec(salt, iterations));
            return m.doFinal(data);
        } finally {
            try {
                key.destroy();
            } catch (DestroyFailedException e) {
                // not destroyable on this JDK; it is garbage now
            }
        }
    }
}
