package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.MalformedCiphertextException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a source: its {@link SourceScan} (values per CDK from the headers) and, per column and CDK,
 * the first few ciphertexts, for {@link ContextCheck} to try before anything is written. Ciphertexts only:
 * nothing is decrypted here.
 *
 * @param scan    values per CDK, plaintext, nulls, malformed
 * @param samples per column (in source order), up to {@code perGroup} ciphertexts per CDK
 */
record SourceSurvey(SourceScan scan, List<Map<CdkId, List<String>>> samples) {

    /** Ciphertexts kept per column and CDK. */
    static final int SAMPLES_PER_CDK = 5;

    static SourceSurvey of(RecordSource source) {
        int columns = source.columns().size();
        List<Map<CdkId, List<String>>> samples = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            samples.add(new TreeMap<>());
        }
        long[] n = new long[4];
        Map<CdkId, Long> per = new TreeMap<>();
        source.forEach(r -> {
            n[0]++;
            for (int col = 0; col < r.values().size(); col++) {
                String v = r.values().get(col);
                if (v == null) {
                    n[2]++;
                } else if (!PropertyCipher.isEncrypted(v)) {
                    n[1]++;
                } else {
                    try {
                        CdkId id = PropertyCipher.cdkIdOf(v);
                        per.merge(id, 1L, Long::sum);
                        List<String> kept = samples.get(col).computeIfAbsent(id, k -> new ArrayList<>());
                        if (kept.size() < SAMPLES_PER_CDK) {
                            kept.add(v);
                        }
                    } catch (MalformedCiphertextException e) {
                        n[3]++;
                    }
                }
            }
        });
        return new SourceSurvey(new SourceScan(n[0], per, n[1], n[2], n[3]), samples);
    }
}
