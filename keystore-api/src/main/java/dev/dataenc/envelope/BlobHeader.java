package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;

import java.util.Arrays;
import java.util.Objects;

/**
 * The parsed header of a BLOB ciphertext (format v1). None of it is secret. Arrays are copied
 * in and out.
 *
 * @param cdkId       the CDK the per-blob key is derived from
 * @param segmentSize plaintext bytes per segment (the last segment may be shorter)
 * @param salt        the {@value BlobFormat#SALT_LENGTH}-byte HKDF salt
 * @param noncePrefix the {@value BlobFormat#NONCE_PREFIX_LENGTH}-byte nonce prefix
 */
public record BlobHeader(CdkId cdkId, int segmentSize, byte[] salt, byte[] noncePrefix) {

    public BlobHeader {
        Objects.requireNonNull(cdkId, "cdkId");
        BlobFormat.checkSegmentSize(segmentSize);
        if (salt.length != BlobFormat.SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be " + BlobFormat.SALT_LENGTH + " bytes, got " + salt.length);
        }
        if (noncePrefix.length != BlobFormat.NONCE_PREFIX_LENGTH) {
            throw new IllegalArgumentException("nonce prefix must be " + BlobFormat.NONCE_PREFIX_LENGTH
                    + " bytes, got " + noncePrefix.length);
        }
        salt = salt.clone();
        noncePrefix = noncePrefix.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] noncePrefix() {
        return noncePrefix.clone();
    }

    /** The {@value BlobFormat#HEADER_LENGTH} bytes of this header. */
    public byte[] toBytes() {
        return BlobFormat.write(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobHeader h && cdkId.equals(h.cdkId) && segmentSize == h.segmentSize
                && Arrays.equals(salt, h.salt) && Arrays.equals(noncePrefix, h.noncePrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cdkId, segmentSize, Arrays.hashCode(salt), Arrays.hashCode(noncePrefix));
    }

    @Override
    public String toString() {
        return "BlobHeader[cdk=" + cdkId + ", segmentSize=" + segmentSize + "]";
    }
}
