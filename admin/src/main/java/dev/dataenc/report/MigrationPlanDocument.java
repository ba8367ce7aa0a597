package dev.dataenc.report;

import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.migrate.MigrationPlan;
import dev.dataenc.migrate.MigrationStore;
import dev.dataenc.migrate.SourceScan;

import java.util.List;
import java.util.TreeMap;

/**
 * {@code dataenc migrate ... --dry-run --json}: the values of a record source per CDK and what a run would
 * write. Nothing was changed.
 *
 * @param schemaVersion  {@value ReportDocument#SCHEMA_VERSION}
 * @param command        {@code "migrate"}
 * @param dryRun         always true
 * @param hostDatabase   the host database (password masked)
 * @param source         the record source
 * @param targetCdkId    the ACTIVE CDK a run would re-encrypt to
 * @param mode           {@code REENCRYPT} or {@code ENCRYPT_PLAINTEXT}
 * @param records        records read
 * @param valuesPerCdk   encrypted values per CDK, with the CDK's status
 * @param alreadyCurrent values already under the ACTIVE CDK
 * @param plaintext      values that are not dataenc ciphertexts
 * @param nulls          NULL values
 * @param unreadable     values with the ciphertext prefix whose header cannot be read
 * @param wouldWrite     values a run would re-encrypt or encrypt
 * @param batches        batches a new job would have
 * @param unfinished     the unfinished job a run would resume, or null
 */
public record MigrationPlanDocument(int schemaVersion, String command, boolean dryRun, String hostDatabase,
                                    String source, String targetCdkId, String mode, long records,
                                    List<CdkValueCount> valuesPerCdk, long alreadyCurrent, long plaintext, long nulls,
                                    long unreadable, long wouldWrite, int batches, MigrationJobInfo unfinished)
        implements ReportDocument {

    public MigrationPlanDocument {
        valuesPerCdk = List.copyOf(valuesPerCdk);
    }

    /** The JSON view of {@code plan}; CDK statuses come from {@code registry}. */
    public static MigrationPlanDocument of(MigrationPlan plan, CdkRegistry registry, MigrationStore store,
                                           String hostDatabase) {
        SourceScan scan = plan.scan();
        List<CdkValueCount> perCdk = new TreeMap<>(scan.perCdk()).entrySet().stream()
                .map(e -> new CdkValueCount(e.getKey().toString(), registry.find(e.getKey())
                        .map(c -> c.status().name()).orElse("UNKNOWN"), e.getValue())).toList();
        return new MigrationPlanDocument(SCHEMA_VERSION, "migrate", true, hostDatabase, plan.source(),
                plan.target().toString(), plan.mode().name(), scan.records(), perCdk,
                scan.perCdk().getOrDefault(plan.target(), 0L), scan.plaintext(), scan.nulls(), scan.malformed(),
                plan.toWrite(), plan.batches(),
                plan.unfinished().map(j -> MigrationJobInfo.of(j, store.tally(j.id()))).orElse(null));
    }
}
