package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.MalformedCiphertextException;

import java.util.Map;
import java.util.TreeMap;

/**
 * The values of a source counted by CDK, read from ciphertext headers (nothing is decrypted).
 *
 * @param records   records read
 * @param perCdk    values per CDK
 * @param plaintext values that are not dataenc ciphertexts
 * @param nulls     NULL values
 * @param malformed values with the ciphertext prefix whose header cannot be read
 */
public record SourceScan(long records, Map<CdkId, Long> perCdk, long plaintext, long nulls, long malformed) {

    public SourceScan {
        perCdk = Map.copyOf(perCdk);
    }

    /** Reads every record of {@code source} once. */
    public static SourceScan of(RecordSource source) {
        long[] n = new long[4];
        Map<CdkId, Long> per = new TreeMap<>();
        source.forEach(r -> {
            n[0]++;
            for (String v : r.values()) {
                if (v == null) {
                    n[2]++;
                } else if (!PropertyCipher.isEncrypted(v)) {
                    n[1]++;
                } else {
                    try {
                        per.merge(PropertyCipher.cdkIdOf(v), 1L, Long::sum);
                    } catch (MalformedCiphertextException e) {
                        n[3]++;
                    }
                }
            }
        });
        return new SourceScan(n[0], per, n[1], n[2], n[3]);
    }

    /** Values under CDKs other than {@code target}. */
    public long notUnder(CdkId target) {
        return perCdk.entrySet().stream().filter(e -> !e.getKey().equals(target)).mapToLong(Map.Entry::getValue).sum();
    }
}
