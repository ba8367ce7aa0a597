package dev.dataenc.migrate;

import java.util.Objects;

/**
 * What to migrate and how.
 *
 * @param source     the records
 * @param mode       re-encrypt only, or also encrypt plaintext values
 * @param batchSize  keys per batch when a new job is planned (a resumed job keeps its batches)
 * @param writeChunk records whose writes are committed together within a batch
 */
public record MigrationRequest(RecordSource source, MigrationMode mode, int batchSize, int writeChunk) {

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
    }

    /** Re-encrypts {@code source} with the default batch size. */
    public static MigrationRequest of(RecordSource source) {
        return new MigrationRequest(source, MigrationMode.REENCRYPT, DEFAULT_BATCH_SIZE, DEFAULT_WRITE_CHUNK);
    }

    /** This with another mode. */
    public MigrationRequest withMode(MigrationMode m) {
        return new MigrationRequest(source, m, batchSize, writeChunk);
    }

    /** This with another batch size. */
    public MigrationRequest withBatchSize(int n) {
        return new MigrationRequest(source, mode, n, writeChunk);
    }

    /** This with another write chunk. */
    public MigrationRequest withWriteChunk(int n) {
        return new MigrationRequest(source, mode, batchSize, n);
    }
}
