package dev.dataenc.migrate;

import java.time.Instant;

/**
 * One batch of a migration job.
 *
 * @param migrationId the job
 * @param batchNo     0-based, in key order
 * @param range       its keys
 * @param status      pending, claimed or done
 * @param owner       the node working on it (or that did it)
 * @param leaseUntil  when a claim runs out, or null
 * @param attempts    how often it was claimed
 * @param counts      what was done (when DONE)
 * @param doneBy      the node that finished it, or null
 * @param rowVersion  compare-and-set version
 */
public record MigrationBatch(String migrationId, int batchNo, KeyRange range, BatchStatus status, String owner,
                             Instant leaseUntil, int attempts, ValueCounts counts, String doneBy, long rowVersion) {
}
