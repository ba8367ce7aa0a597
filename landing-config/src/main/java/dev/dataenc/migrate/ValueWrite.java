package dev.dataenc.migrate;

import java.util.Objects;

/**
 * A compare-and-set write of one column of one record. {@link #toString()} never shows values.
 *
 * @param key         the record's key
 * @param column      index into {@link RecordSource#columns()}
 * @param expected    the value the column must still hold (never null: null values are not migrated)
 * @param replacement the new value
 */
public record ValueWrite(String key, int column, String expected, String replacement) {

    public ValueWrite {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(replacement, "replacement");
    }

    @Override
    public String toString() {
        return "ValueWrite[key=" + key + ", column=" + column + "]";
    }
}
