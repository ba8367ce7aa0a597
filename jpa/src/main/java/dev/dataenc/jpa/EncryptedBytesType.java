package dev.dataenc.jpa;

import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.error.MalformedCiphertextException;

import jakarta.persistence.EntityManagerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * A {@code byte[]} attribute stored encrypted (randomised AES-256-GCM, binary property format, 47 bytes more than
 * the plaintext) under the context {@code Entity.attribute} (or its {@link EncryptionContext}):
 *
 * <pre>{@code
 * @Type(EncryptedBytesType.class)
 * @Column(length = 10_000)
 * private byte[] photo;
 * }</pre>
 *
 * In {@link Rollout#READ_PLAINTEXT} mode, stored bytes that do not start with a dataenc property header are read
 * as plaintext; plaintext that happens to start with one ({@code DE 01 01}, at least 47 bytes) fails to decrypt
 * instead. For large values use the streaming BLOB cipher instead.
 */
public final class EncryptedBytesType extends EncryptedType<byte[]> {

    @Override
    byte[] read(ResultSet rs, int position, String context, EntityManagerFactory factory) throws SQLException {
        byte[] stored = rs.getBytes(position);
        if (stored == null) {
            return null;
        }
        DataEncJpa.Installed ciphers = ciphers(factory);
        if (ciphers.rollout() == Rollout.READ_PLAINTEXT && !isPropertyCiphertext(stored)) {
            DataEncJpa.plaintextRead(context);
            return stored;
        }
        return ciphers.random().decrypt(stored, context);
    }

    private static boolean isPropertyCiphertext(byte[] stored) {
        try {
            return CiphertextInfo.ofBinary(stored, stored.length).kind() == CiphertextInfo.Kind.PROPERTY;
        } catch (MalformedCiphertextException e) {
            return false;
        }
    }

    @Override
    void write(PreparedStatement st, byte[] value, int index, String context, EntityManagerFactory factory)
            throws SQLException {
        if (value == null) {
            st.setNull(index, Types.VARBINARY);
        } else {
            st.setBytes(index, ciphers(factory).random().encrypt(value, context));
        }
    }

    @Override
    public int getSqlType() {
        return Types.VARBINARY;
    }

    @Override
    public Class<byte[]> returnedClass() {
        return byte[].class;
    }

    @Override
    public boolean equals(byte[] x, byte[] y) {
        return Arrays.equals(x, y);
    }

    @Override
    public int hashCode(byte[] x) {
        return Arrays.hashCode(x);
    }

    @Override
    public byte[] deepCopy(byte[] value) {
        return value == null ? null : value.clone();
    }

    @Override
    public boolean isMutable() {
        return true;
    }
}
