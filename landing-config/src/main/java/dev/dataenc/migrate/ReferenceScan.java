package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;
import java.util.Map;

/**
 * The scan a completed migration took of its source after its last batch: how many values still
 * reference each CDK. A CDK absent from {@link #references} has no value in the source. Values, not
 * records, are counted (a record with two columns under one CDK counts twice).
 *
 * @param source          the {@link RecordSource#name()}
 * @param target          the CDK the migration re-encrypted to
 * @param startedAt       when the migration was planned (the scan reflects every write since)
 * @param completedAt     when the scan was recorded
 * @param references      values per CDK after the run
 * @param plaintextValues values not encrypted
 */
public record ReferenceScan(String source, CdkId target, Instant startedAt, Instant completedAt,
                            Map<CdkId, Long> references, long plaintextValues) {

    public ReferenceScan {
        references = Map.copyOf(references);
    }

    /** Values of {@code cdk} in the source (0 when none). */
    public long referencesTo(CdkId cdk) {
        return references.getOrDefault(cdk, 0L);
    }
}
