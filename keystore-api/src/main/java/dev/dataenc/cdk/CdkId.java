package dev.dataenc.cdk;

import dev.dataenc.error.MalformedCiphertextException;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifier of a customer data key: a random UUID, written into every ciphertext header as
 * 16 bytes (big-endian most- then least-significant half) and shown as the usual UUID text.
 */
public record CdkId(UUID value) implements Comparable<CdkId> {

    /** Number of bytes in the binary form. */
    public static final int LENGTH = 16;

    public CdkId {
        Objects.requireNonNull(value, "value");
    }

    /** A new random id. */
    public static CdkId random() {
        return new CdkId(UUID.randomUUID());
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException if it is not a UUID
     */
    public static CdkId parse(String text) {
        try {
            return new CdkId(UUID.fromString(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a CDK id (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000): '" + text + "'", e);
        }
    }

    /** Reads 16 bytes at {@code offset}. */
    public static CdkId read(byte[] bytes, int offset) {
        if (bytes.length - offset < LENGTH) {
            throw new MalformedCiphertextException("too short to hold a CDK id");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, LENGTH);
        return new CdkId(new UUID(b.getLong(), b.getLong()));
    }

    /** Writes the 16-byte form at {@code offset}. */
    public void write(byte[] dest, int offset) {
        ByteBuffer b = ByteBuffer.wrap(dest, offset, LENGTH);
        b.putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits());
    }

    /** The 16-byte form. */
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        write(b, 0);
        return b;
    }

    @Override
    public int compareTo(CdkId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }

    /**
     * Equal ids name the same CDK. Written out (the record's generated method goes through method handles, which
     * profiles showed on the decryption and migration hot paths): same result.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof CdkId other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
