package dev.dataenc.jpa;

import java.sql.Types;
import java.util.Objects;

/**
 * What the two {@code String} types share: a {@code VARCHAR} column and an immutable {@code String} value; they
 * differ only in how a value is written ({@link EncryptedStringType} randomised, {@link DeterministicStringType}
 * searchable).
 */
abstract class EncryptedTextType extends EncryptedType<String> {

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
