package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of a source counted by CDK, read from ciphertext headers (nothing is decrypted).
 *
 * @param records     records read
 * @param perCdk      values per CDK (property values and BLOBs)
 * @param plaintext   values that are not dataenc ciphertexts
 * @param nulls       NULL values
 * @param malformed   values with the ciphertext prefix (or header byte) whose header cannot be read
 * @param blobsPerCdk of {@link #perCdk}, the BLOB-format ciphertexts per CDK (binary columns and blob stores only)
 */
public record SourceScan(long records, Map<CdkId, Long> perCdk, long plaintext, long nulls, long malformed,
                         Map<CdkId, Long> blobsPerCdk) {

    public SourceScan {
        perCdk = Map.copyOf(perCdk);
        blobsPerCdk = Map.copyOf(blobsPerCdk);
    }

    /** A scan of a source without BLOBs. */
    public SourceScan(long records, Map<CdkId, Long> perCdk, long plaintext, long nulls, long malformed) {
        this(records, perCdk, plaintext, nulls, malformed, Map.of());
    }

    /** Reads every record of {@code source} once. */
    public static SourceScan of(RecordSource source) {
        Counter counter = new Counter(source.columns());
        source.forEach(r -> counter.add(r, (col, cell, value) -> { }));
        return counter.scan();
    }

    /** Values under CDKs other than {@code target}. */
    public long notUnder(CdkId target) {
        return perCdk.entrySet().stream().filter(e -> !e.getKey().equals(target)).mapToLong(Map.Entry::getValue).sum();
    }

    /** Told about each ciphertext cell while counting. */
    @FunctionalInterface
    interface CiphertextSeen {
        /** @param sample the ciphertext of a text column, the record's key for a binary column */
        void seen(int column, Cell cell, String sample);
    }

    /** Counts records as they come. */
    static final class Counter {
        private final List<SourceColumn> columns;
        private final long[] n = new long[4];
        private final Map<CdkId, Long> per = new TreeMap<>();
        private final Map<CdkId, Long> blobs = new TreeMap<>();

        Counter(List<SourceColumn> columns) {
            this.columns = columns;
        }

        void add(SourceRecord r, CiphertextSeen seen) {
            n[0]++;
            for (int col = 0; col < r.values().size(); col++) {
                String v = r.values().get(col);
                Cell cell = Cell.of(columns.get(col), v);
                switch (cell.state()) {
                    case NULL -> n[2]++;
                    case PLAINTEXT -> n[1]++;
                    case MALFORMED -> n[3]++;
                    case CIPHERTEXT -> {
                        per.merge(cell.cdk(), 1L, Long::sum);
                        if (cell.blob()) {
                            blobs.merge(cell.cdk(), 1L, Long::sum);
                        }
                        seen.seen(col, cell, columns.get(col).binary() ? r.key() : v);
                    }
                }
            }
        }

        SourceScan scan() {
            return new SourceScan(n[0], per, n[1], n[2], n[3], blobs);
        }
    }
}
