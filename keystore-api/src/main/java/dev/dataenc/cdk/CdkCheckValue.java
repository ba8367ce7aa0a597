package dev.dataenc.cdk;

import dev.dataenc.keystore.DataKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key check value (KCV) of a CDK: {@code HMAC-SHA256(key = the CDK's 32 bytes,
 * message = "dataenc cdk check v1" || the CDK id's 16 bytes)}, all 32 bytes. Computed when the CDK
 * is generated and stored beside it in the registry, it lets every unwrap prove that the key a
 * wrapping yields is the CDK's own key, so a wrapping added to the registry later (by a registry
 * writer, under a master key they hold) cannot substitute another key. It reveals nothing useful
 * about the key (a PRF output under it); it is not secret. See {@code docs/FORMAT.md}.
 *
 * @param value the 32 check-value bytes (copied in and out)
 */
public record CdkCheckValue(byte[] value) {

    /** Length of a check value in bytes. */
    public static final int LENGTH = 32;

    /** The ASCII label the HMAC message starts with. */
    static final byte[] LABEL = "dataenc cdk check v1".getBytes(StandardCharsets.US_ASCII);

    public CdkCheckValue {
        Objects.requireNonNull(value, "value");
        if (value.length != LENGTH) {
            throw new IllegalArgumentException("a CDK check value is " + LENGTH + " bytes, got " + value.length);
        }
        value = value.clone();
    }

    /**
     * The check value of {@code key} (for its own CDK id).
     *
     * @throws IllegalStateException if the key has been destroyed
     */
    public static CdkCheckValue of(DataKey key) {
        byte[] k = key.getEncoded();
        try {
            return new CdkCheckValue(hmacSha256(k, message(key.cdkId())));
        } finally {
            DataKey.zeroize(k);
        }
    }

    /** True when {@code key} belongs to the CDK this value was computed for (constant-time comparison). */
    public boolean matches(DataKey key) {
        byte[] actual = of(key).value;
        return MessageDigest.isEqual(value, actual);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** HMAC-SHA256 of {@code message} under {@code key} (any non-empty length). */
    static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JRE has no usable HmacSHA256", e);
        }
    }

    private static byte[] message(CdkId id) {
        byte[] m = Arrays.copyOf(LABEL, LABEL.length + CdkId.LENGTH);
        id.write(m, LABEL.length);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CdkCheckValue c && MessageDigest.isEqual(value, c.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** The first 4 bytes in hex, enough to tell values apart in a report. */
    @Override
    public String toString() {
        return "CdkCheckValue[" + HexFormat.of().formatHex(value, 0, 4) + "...]";
    }
}
