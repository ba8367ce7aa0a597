package dev.dataenc.report;

import dev.dataenc.migrate.BatchStatus;
import dev.dataenc.migrate.MigrationJob;

import java.util.Map;

/**
 * A data migration job.
 *
 * @param id              job id
 * @param source          the record source (e.g. {@code customer(email,phone)})
 * @param targetCdkId     the CDK it re-encrypts to
 * @param mode            {@code REENCRYPT} or {@code ENCRYPT_PLAINTEXT}
 * @param status          {@code RUNNING} or {@code COMPLETED}
 * @param batchSize       keys per batch
 * @param batchesTotal    batches in all
 * @param batchesDone     batches done
 * @param batchesClaimed  batches being worked on by a node now
 * @param recordsEstimate records when planned
 * @param counts          sums over the done batches
 * @param startedBy       who planned it
 * @param startedAt       when
 * @param completedAt     when it completed, or null
 */
public record MigrationJobInfo(String id, String source, String targetCdkId, String mode, String status, int batchSize,
                               int batchesTotal, int batchesDone, int batchesClaimed, long recordsEstimate,
                               ValueCountsInfo counts, String startedBy, String startedAt, String completedAt) {

    /** The JSON view of {@code job} with its batch tally (from {@code MigrationStore.tally}). */
    public static MigrationJobInfo of(MigrationJob job, Map<BatchStatus, Integer> tally) {
        return new MigrationJobInfo(job.id(), job.source(), Times.id(job.target()), job.mode().name(),
                job.status().name(), job.batchSize(), job.batchesTotal(), tally.getOrDefault(BatchStatus.DONE, 0),
                tally.getOrDefault(BatchStatus.CLAIMED, 0), job.recordsEstimate(), ValueCountsInfo.of(job.counts()),
                job.startedBy(), Times.of(job.startedAt()), Times.of(job.completedAt()));
    }
}
