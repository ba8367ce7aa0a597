package dev.dataenc.migrate;

import java.util.Objects;

/**
 * What to migrate and how.
 *
 * @param source     the records
 * @param mode       re-encrypt only, or also encrypt plaintext values
 * @param batchSize  keys per batch when a new job is planned (a resumed job keeps its batches)
 * @param writeChunk records whose writes are committed together within a batch
 * @param fromContext re-binding: the context values were wrongly encrypted under; a value that does not decrypt
 *                    with its column's context is decrypted with this one and re-encrypted with the column's
 *                    (one column only). Null for none.
 */
public record MigrationRequest(RecordSource source, MigrationMode mode, int batchSize, int writeChunk,
                               String fromContext) {

    /** Default keys per batch. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Default records per write transaction. */
    public static final int DEFAULT_WRITE_CHUNK = 200;

    public MigrationRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        if (batchSize < 1 || writeChunk < 1) {
            throw new IllegalArgumentException("batchSize and writeChunk must be positive: " + batchSize + ", " + writeChunk);
        }
        if (mode == MigrationMode.ENCRYPT_PLAINTEXT && source.columns().stream().anyMatch(SourceColumn::binary)) {
            throw new MigrationException("--encrypt-plaintext works on text columns only; column(s) "
                    + source.columns().stream().filter(SourceColumn::binary).map(SourceColumn::name).toList()
                    + " of " + source.name() + " are binary: encrypt their values in the application (BlobCipher)");
        }
        if (fromContext != null) {
            if (fromContext.isEmpty()) {
                throw new MigrationException("--from-context needs the context the values were encrypted under");
            }
            if (source.columns().size() != 1) {
                throw new MigrationException("--from-context re-binds one column at a time; the source has "
                        + source.columns().size() + " columns. Run one migration per column.");
            }
            if (source.columns().get(0).context().equals(fromContext)) {
                throw new MigrationException("--from-context '" + fromContext + "' is the column's own context; give"
                        + " the context the values were wrongly encrypted under");
            }
        }
    }

    /** Re-encrypts {@code source} with the default batch size. */
    public static MigrationRequest of(RecordSource source) {
        return new MigrationRequest(source, MigrationMode.REENCRYPT, DEFAULT_BATCH_SIZE, DEFAULT_WRITE_CHUNK, null);
    }

    /** This with another mode. */
    public MigrationRequest withMode(MigrationMode m) {
        return new MigrationRequest(source, m, batchSize, writeChunk, fromContext);
    }

    /** This with another batch size. */
    public MigrationRequest withBatchSize(int n) {
        return new MigrationRequest(source, mode, n, writeChunk, fromContext);
    }

    /** This with another write chunk. */
    public MigrationRequest withWriteChunk(int n) {
        return new MigrationRequest(source, mode, batchSize, n, fromContext);
    }

    /** This re-binding values encrypted under {@code oldContext} to the column's context. */
    public MigrationRequest withFromContext(String oldContext) {
        return new MigrationRequest(source, mode, batchSize, writeChunk, oldContext);
    }
}
