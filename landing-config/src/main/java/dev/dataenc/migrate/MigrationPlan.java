package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;

import java.util.Map;
import java.util.Optional;

/**
 * What a migration would do (a dry run: the source is read, nothing is written).
 *
 * @param source        the {@link RecordSource#name()}
 * @param target        the ACTIVE CDK values would be re-encrypted under
 * @param mode          the requested mode
 * @param scan          values per CDK, plaintext, nulls and unreadable values now
 * @param toWrite       values a run would re-encrypt or encrypt
 * @param batches       batches a new job would have
 * @param unfinished    the unfinished job for this source that a run would resume, if any
 * @param contextCheck  sampled ciphertexts tried with each column's context: a run is refused if it failed
 */
public record MigrationPlan(String source, CdkId target, MigrationMode mode, SourceScan scan, long toWrite,
                            int batches, Optional<MigrationJob> unfinished, ContextCheck contextCheck) {

    /** Values per CDK now. */
    public Map<CdkId, Long> valuesPerCdk() {
        return scan.perCdk();
    }
}
