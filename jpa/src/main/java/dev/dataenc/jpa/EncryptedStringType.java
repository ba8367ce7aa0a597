package dev.dataenc.jpa;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;

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
public final class EncryptedStringType extends EncryptedType<String> {

    @Override
    String read(ResultSet rs, int position, String context) throws SQLException {
        return TextValues.read(rs, position, context);
    }

    @Override
    void write(PreparedStatement st, String value, int index, String context) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.VARCHAR);
        } else {
            st.setString(index, DataEncJpa.current().random().encryptString(value, context));
        }
    }

    @Override
    public int getSqlType() {
        return Types.VARCHAR;
    }

    @Override
    public Class<String> returnedClass() {
        return String.class;
    }

    @Override
    public boolean equals(String x, String y) {
        return Objects.equals(x, y);
    }

    @Override
    public int hashCode(String x) {
        return Objects.hashCode(x);
    }

    @Override
    public String deepCopy(String value) {
        return value;
    }

    @Override
    public boolean isMutable() {
        return false;
    }
}
