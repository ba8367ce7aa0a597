package dev.dataenc.migrate;

import java.util.Objects;

/**
 * A migrated column and the context (AAD) its values are encrypted under.
 *
 * @param name    the column name as the source knows it
 * @param context the encryption context, e.g. {@code Customer.email}
 */
public record SourceColumn(String name, String context) {

    public SourceColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(context, "context");
    }
}
