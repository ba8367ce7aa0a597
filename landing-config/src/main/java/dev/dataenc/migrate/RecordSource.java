package dev.dataenc.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a migration reads and writes: a host's records, each with a unique key and one or more
 * columns holding text-form ciphertexts (or, before encryption is turned on, plaintext), or binary ciphertexts
 * (property values or BLOBs, {@link SourceColumn.Kind#BINARY}). A binary column's cell in a {@link SourceRecord}
 * describes the value from its header (kind, length, CDK); the value itself is streamed through
 * {@link #readBinary} and {@link #writeBinary}.
 *
 * <p>Keys cross this interface in a canonical text form ({@code 42}, {@code alice},
 * {@code 0f8e...-...}) so that batch boundaries can be persisted; the source converts them back to
 * its key type. Key order is the source's own (the database's {@code ORDER BY}); ranges use the
 * same order. Implementations must be thread-safe for concurrent calls from one migration.
 * {@link JdbcRecordSource} is the ready implementation for a table.
 */
public interface RecordSource extends AutoCloseable {

    /**
     * A stable name identifying this source across processes and restarts (e.g.
     * {@code customer(id): email, phone}); one unfinished migration exists per name.
     */
    String name();

    /** The migrated columns, in the order of {@link SourceRecord#values()}. */
    List<SourceColumn> columns();

    /**
     * Every {@code batchSize}-th key in key order, starting with the {@code batchSize+1}-th: the
     * lower bounds of the second and later batches. Empty when there are at most {@code batchSize}
     * records.
     */
    List<String> boundaries(int batchSize);

    /** The number of records now. */
    long count();

    /** The records with {@code range.from() <= key < range.to()} (null bounds are open), in key order. */
    List<SourceRecord> read(KeyRange range);

    /** One record as it is now, or empty if it no longer exists. */
    Optional<SourceRecord> read(String key);

    /** Every record, in key order, without holding them all in memory (for scans). */
    void forEach(Consumer<SourceRecord> action);

    /**
     * Applies compare-and-set writes in one transaction: each sets its column to
     * {@link ValueWrite#replacement()} only where the column still holds {@link ValueWrite#expected()}.
     *
     * @return for each write, in order, whether it changed the record
     */
    boolean[] write(List<ValueWrite> writes);

    /** Reads one binary value as a stream. */
    @FunctionalInterface
    interface BinaryReader {
        /**
         * @param value  the value's bytes, valid only during this call
         * @param length its length in bytes
         */
        void read(InputStream value, long length) throws IOException;
    }

    /**
     * Streams the current value of binary column {@code column} of record {@code key} to {@code reader}, never
     * holding it whole in memory where the store allows.
     *
     * @return false if the record is gone or the value is NULL (the reader is not called)
     * @throws UnsupportedOperationException if the source has no binary columns
     */
    default boolean readBinary(String key, int column, BinaryReader reader) {
        throw new UnsupportedOperationException(name() + " has no binary columns");
    }

    /**
     * Compare-and-set of one binary value, in one transaction: locks the record, and replaces the value with the
     * bytes of {@code replacement} (streamed) only if the SHA-256 of the value it holds now equals
     * {@code expectedSha256} (compared in constant time).
     *
     * @return whether it changed the record (false: the application wrote the value meanwhile, or it is gone)
     * @throws UnsupportedOperationException if the source has no binary columns
     */
    default boolean writeBinary(String key, int column, byte[] expectedSha256, Path replacement) {
        throw new UnsupportedOperationException(name() + " has no binary columns");
    }

    /** Releases what the source opened itself (a connection pool it created); never the host's own. */
    @Override
    void close();
}
