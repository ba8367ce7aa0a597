package dev.dataenc.migrate;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes one chunk of text compare-and-sets ({@link RecordSource#write}, one transaction) on its own thread, so that
 * the next chunk is decrypted, re-encrypted and verified while the database commits this one. At most one chunk is in
 * flight: {@link #start} refuses a second before {@link #await} has returned the first's outcome, so lost
 * compare-and-sets are retried, counters kept and the lease renewed on the calling thread, in chunk order, as before.
 * {@link #close} waits for a chunk still in flight (after a failure elsewhere), so no write outlives the batch.
 */
final class ChunkWriter implements AutoCloseable {

    private final RecordSource source;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataenc-migration-writer");
        t.setDaemon(true);
        return t;
    });
    private Future<boolean[]> inFlight;

    ChunkWriter(RecordSource source) {
        this.source = source;
    }

    /** Starts writing {@code writes}; the previous chunk must have been awaited. */
    void start(List<ValueWrite> writes) {
        if (inFlight != null) {
            throw new IllegalStateException("a chunk is still being written");
        }
        List<ValueWrite> copy = List.copyOf(writes);
        inFlight = thread.submit(() -> source.write(copy));
    }

    /**
     * Waits for the chunk in flight.
     *
     * @return for each write, whether it changed the record ({@link RecordSource#write})
     * @throws RecordSourceException (or whatever the write threw) if the chunk was not written
     */
    boolean[] await() {
        Future<boolean[]> f = inFlight;
        if (f == null) {
            throw new IllegalStateException("no chunk is being written");
        }
        try {
            return getUninterruptibly(f);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MigrationException("writing a chunk failed: " + e.getCause(), e.getCause());
        } finally {
            inFlight = null;
        }
    }

    /** Waits for a chunk still in flight (its outcome is dropped: the caller is failing already) and ends the thread. */
    @Override
    public void close() {
        try {
            if (inFlight != null) {
                getUninterruptibly(inFlight);
            }
        } catch (ExecutionException ignored) {
            // the caller is failing for another reason; this chunk's transaction was rolled back
        } finally {
            inFlight = null;
            thread.shutdown();
        }
    }

    /** The write runs to its commit or rollback whatever happens to this thread; an interrupt is kept for later. */
    private static boolean[] getUninterruptibly(Future<boolean[]> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
