package dev.dataenc.jpa;

import jakarta.persistence.EntityManagerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A {@code String} attribute stored encrypted (randomised AES-256-GCM, text form {@code dataenc:v1:...}) under
 * the context {@code Entity.attribute} (or its {@link EncryptionContext}):
 *
 * <pre>{@code
 * @Type(EncryptedStringType.class)
 * @Column(length = 400)
 * private String name;
 * }</pre>
 *
 * Equal values have different ciphertexts, so the column cannot be searched; use {@link DeterministicStringType}
 * for a column that is queried by equality. Reads deterministic ciphertexts too, and, in
 * {@link Rollout#READ_PLAINTEXT} mode, plaintext. A column of {@code n} UTF-8 bytes needs
 * {@code 11 + ceil(4 (n + 47) / 3)} characters.
 */
public final class EncryptedStringType extends EncryptedTextType {

    @Override
    String read(ResultSet rs, int position, String context, EntityManagerFactory factory) throws SQLException {
        return TextValues.read(rs, position, context, this, factory);
    }

    @Override
    void write(PreparedStatement st, String value, int index, String context, EntityManagerFactory factory)
            throws SQLException {
        if (value == null) {
            st.setNull(index, Types.VARCHAR);
        } else {
            st.setString(index, ciphers(factory).random().encryptString(value, context));
        }
    }
}
