package dev.dataenc.migrate;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One record of a {@link RecordSource}: its key and the values of the migrated columns.
 * {@link #toString()} shows the key only, never values.
 *
 * @param key    the key in canonical text form
 * @param values the column values in {@link RecordSource#columns()} order; elements may be null
 */
public record SourceRecord(String key, List<String> values) {

    public SourceRecord {
        Objects.requireNonNull(key, "key");
        values = Collections.unmodifiableList(new java.util.ArrayList<>(Objects.requireNonNull(values, "values")));
    }

    @Override
    public String toString() {
        return "SourceRecord[key=" + key + ", " + values.size() + " values]";
    }
}
