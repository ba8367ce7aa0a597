package dev.dataenc.migrate;

import java.util.Objects;

/**
 * A migrated column, the context (AAD) its values are encrypted under, and how its values are stored.
 *
 * @param name    the column name as the source knows it
 * @param context the encryption context, e.g. {@code Customer.email}
 * @param kind    text-form ciphertexts, or binary ones (property values or BLOBs, told apart per value by their header)
 */
public record SourceColumn(String name, String context, Kind kind) {

    /** How a column stores its ciphertexts; detected from the column's type, never given by the operator. */
    public enum Kind {
        /** Text-form ciphertexts ({@code dataenc:v1:...}) in a CHAR/VARCHAR/TEXT/CLOB column. */
        TEXT,
        /**
         * Binary ciphertexts in a {@code bytea}/BLOB/VARBINARY column (or a blob store): each value is a binary
         * property ciphertext or a BLOB-format ciphertext (told apart by its header); read and written as streams
         * through {@link RecordSource#readBinary} and {@link RecordSource#writeBinary}.
         */
        BINARY
    }

    public SourceColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(kind, "kind");
    }

    /** A text column. */
    public SourceColumn(String name, String context) {
        this(name, context, Kind.TEXT);
    }

    /** Whether the column holds binary ciphertexts. */
    public boolean binary() {
        return kind == Kind.BINARY;
    }
}
