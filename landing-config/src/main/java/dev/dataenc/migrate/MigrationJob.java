package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;

/**
 * A persisted migration job.
 *
 * @param id              job id
 * @param source          the {@link RecordSource#name()}
 * @param target          the ACTIVE CDK when the job was planned
 * @param mode            what it does to values
 * @param status          running or completed
 * @param batchSize       keys per batch
 * @param batchesTotal    number of batches
 * @param recordsEstimate records when planned
 * @param counts          sums over the DONE batches
 * @param startedBy       who planned it
 * @param startedAt       when it was planned
 * @param completedAt     when it completed, or null
 * @param fromContext     the context a re-binding job decrypts with when the column's own context fails
 *                        ({@code --from-context}), or null
 */
public record MigrationJob(String id, String source, CdkId target, MigrationMode mode, MigrationStatus status,
                           int batchSize, int batchesTotal, long recordsEstimate, ValueCounts counts, String startedBy,
                           Instant startedAt, Instant completedAt, String fromContext) {

    /** One line for status output. */
    public String summary() {
        return "migration " + id + " of " + source + " to CDK " + target + " (" + mode
                + (fromContext == null ? "" : ", re-binding from context '" + fromContext + "'") + ", " + status + ", "
                + counts.records() + "/" + recordsEstimate + " records)";
    }
}
