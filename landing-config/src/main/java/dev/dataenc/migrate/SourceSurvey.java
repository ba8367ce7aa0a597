package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a source: its {@link SourceScan} (values per CDK from the headers) and, per column and CDK,
 * the first few samples, for {@link ContextCheck} to try before anything is written: ciphertexts of a text
 * column, record keys of a binary column (its values are opened as streams when tried). Nothing is decrypted here.
 *
 * @param scan    values per CDK, plaintext, nulls, malformed
 * @param samples per column (in source order), up to {@value #SAMPLES_PER_CDK} samples per CDK
 */
record SourceSurvey(SourceScan scan, List<Map<CdkId, List<String>>> samples) {

    /** Samples kept per column and CDK. */
    static final int SAMPLES_PER_CDK = 5;

    static SourceSurvey of(RecordSource source) {
        int columns = source.columns().size();
        List<Map<CdkId, List<String>>> samples = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            samples.add(new TreeMap<>());
        }
        SourceScan.Counter counter = new SourceScan.Counter(source.columns());
        source.forEach(r -> counter.add(r, (col, cell, sample) -> {
            List<String> kept = samples.get(col).computeIfAbsent(cell.cdk(), k -> new ArrayList<>());
            if (kept.size() < SAMPLES_PER_CDK) {
                kept.add(sample);
            }
        }));
        return new SourceSurvey(counter.scan(), samples);
    }
}
