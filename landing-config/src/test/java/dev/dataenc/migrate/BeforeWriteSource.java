package dev.dataenc.migrate;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link RecordSource} that runs {@code beforeWrite} (on the writing thread) just before each compare-and-set write
 * of text values, then writes through {@code delegate}: how tests let the "application" write in between, or fail a
 * write. Closing it leaves {@code delegate} open.
 */
record BeforeWriteSource(RecordSource delegate, Consumer<List<ValueWrite>> beforeWrite) implements RecordSource {
    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<SourceColumn> columns() {
        return delegate.columns();
    }

    @Override
    public List<String> boundaries(int batchSize) {
        return delegate.boundaries(batchSize);
    }

    @Override
    public long count() {
        return delegate.count();
    }

    @Override
    public List<SourceRecord> read(KeyRange range) {
        return delegate.read(range);
    }

    @Override
    public Optional<SourceRecord> read(String key) {
        return delegate.read(key);
    }

    @Override
    public void forEach(Consumer<SourceRecord> action) {
        delegate.forEach(action);
    }

    @Override
    public boolean[] write(List<ValueWrite> writes) {
        beforeWrite.accept(writes);
        return delegate.write(writes);
    }

    @Override
    public void close() {
    }
}
