package dev.dataenc.migrate;

import dev.dataenc.envelope.CiphertextInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link RecordSource} over a {@link BlobStore}: each object is a record (its key the object's key) with one
 * {@link SourceColumn.Kind#BINARY} column holding a BLOB (or binary property) ciphertext under one context. Batches
 * are ranges of keys in {@link String#compareTo} order; objects added later fall into a batch like rows do. A
 * write compares the SHA-256 of the object as it is now with that of the bytes that were decrypted, then lets the
 * store replace it atomically, only if it is still the same object.
 */
public final class BlobStoreRecordSource implements RecordSource {

    private final BlobStore store;
    private final List<SourceColumn> columns;
    private final String name;

    /**
     * @param store   the objects
     * @param context the context every object was encrypted under (required)
     */
    public BlobStoreRecordSource(BlobStore store, String context) {
        this.store = Objects.requireNonNull(store, "store");
        if (context == null || context.isEmpty()) {
            throw new RecordSourceException("a blob store source needs the exact context the application encrypts its"
                    + " BLOBs under (--context); there is no default: a wrong one makes them unreadable");
        }
        this.columns = List.of(new SourceColumn("blob", context, SourceColumn.Kind.BINARY));
        this.name = store.name() + " [" + context + "]";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<SourceColumn> columns() {
        return columns;
    }

    private List<String> keys() {
        try {
            return store.keys();
        } catch (IOException e) {
            throw failure("list the objects", e);
        }
    }

    @Override
    public List<String> boundaries(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        List<String> keys = keys();
        List<String> bounds = new ArrayList<>();
        for (int i = batchSize; i < keys.size(); i += batchSize) {
            bounds.add(keys.get(i));
        }
        return bounds;
    }

    @Override
    public long count() {
        return keys().size();
    }

    @Override
    public List<SourceRecord> read(KeyRange range) {
        List<SourceRecord> records = new ArrayList<>();
        for (String k : keys()) {
            if ((range.from() == null || k.compareTo(range.from()) >= 0) && (range.to() == null || k.compareTo(range.to()) < 0)) {
                read(k).ifPresent(records::add);
            }
        }
        return records;
    }

    /** An object as it is now, opened. */
    private record Opened(BlobStore.Version version, InputStream in) {
    }

    /** How often an object replaced between {@code get} and {@code open} is looked up again. */
    private static final int OPEN_ATTEMPTS = 3;

    /**
     * The object under {@code key} as it is now, opened; empty if there is none. A version that is gone when opened
     * (replaced since {@code get}, where the store can tell) is looked up again, so a record is never taken for
     * deleted (and left out of a scan) only because the application rewrote it at that moment.
     */
    private Optional<Opened> open(String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Optional<BlobStore.Version> v = store.get(key);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Opened(v.get(), v.get().open()));
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt == OPEN_ATTEMPTS) {
                    throw new IOException("it changed " + OPEN_ATTEMPTS + " times while being opened", e);
                }
            }
        }
    }

    @Override
    public Optional<SourceRecord> read(String key) {
        try {
            Optional<Opened> o = open(key);
            if (o.isEmpty()) {
                return Optional.empty();
            }
            byte[] head;
            try (InputStream in = o.get().in()) {
                head = in.readNBytes(CiphertextInfo.PROBE_LENGTH);
            }
            long length = Math.max(o.get().version().length(), head.length);
            return Optional.of(new SourceRecord(key, List.of(BinaryCell.of(head, length).encode())));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // deleted between listing and reading
        } catch (IOException e) {
            throw failure("read " + key, e);
        }
    }

    @Override
    public void forEach(Consumer<SourceRecord> action) {
        for (String k : keys()) {
            read(k).ifPresent(action);
        }
    }

    @Override
    public boolean[] write(List<ValueWrite> writes) {
        if (!writes.isEmpty()) {
            throw new IllegalArgumentException(name + " holds binary values only: write them with writeBinary");
        }
        return new boolean[0];
    }

    @Override
    public boolean readBinary(String key, int column, BinaryReader reader) {
        try {
            Optional<Opened> o = open(key);
            if (o.isEmpty()) {
                return false;
            }
            try (InputStream in = o.get().in()) {
                reader.read(in, o.get().version().length());
            }
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw failure("read " + key, e);
        }
    }

    @Override
    public boolean writeBinary(String key, int column, byte[] expectedSha256, Path replacement) {
        try {
            Optional<BlobStore.Version> v = store.get(key);
            if (v.isEmpty()) {
                return false;
            }
            MessageDigest d = BinaryReencryption.sha256();
            try (InputStream in = v.get().open()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            if (!MessageDigest.isEqual(d.digest(), expectedSha256)) {
                return false;
            }
            return store.replace(key, v.get(), replacement);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new RecordSourceException("cannot replace " + key + " in " + name + ": " + e.getMessage()
                    + ". The old object is left as it was; the migration can be run again.", e);
        }
    }

    private RecordSourceException failure(String what, IOException e) {
        return new RecordSourceException("cannot " + what + " of " + name + ": " + e.getMessage(), new UncheckedIOException(e));
    }

    /** Closes the store if it holds resources (an S3 client). */
    @Override
    public void close() {
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new RecordSourceException("cannot close " + name + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "BlobStoreRecordSource[" + name + "]";
    }
}
