package dev.dataenc.migrate;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a migration reads and writes: a host's records, each with a unique key and one or more
 * columns holding text-form ciphertexts (or, before encryption is turned on, plaintext).
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

    /** Releases what the source opened itself (a connection pool it created); never the host's own. */
    @Override
    void close();
}
