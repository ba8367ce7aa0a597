package dev.dataenc.report;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.migrate.MigrationResult;
import dev.dataenc.migrate.MigrationStore;
import dev.dataenc.migrate.ReferenceScan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code dataenc migrate ... --json}: what a migration run did. Counts and CDK ids, never a value.
 *
 * @param schemaVersion    {@value ReportDocument#SCHEMA_VERSION}
 * @param command          {@code "migrate"}
 * @param dryRun           always false
 * @param hostDatabase     the host database (password masked)
 * @param resumed          whether this run picked up an unfinished job (after a crash, or joining another node)
 * @param completedHere    whether this node completed the job and recorded its reference scan
 * @param job              the job after the run, counts over all nodes
 * @param byThisNode       what this node did
 * @param batchesThisNode  batches this node finished
 * @param millis           how long this run took
 * @param referenceScan    when the job's reference scan completed, or null while the job is unfinished
 * @param oldCdkReferences values left per DECRYPT_ONLY (or other non-target) CDK by that scan, zeros included;
 *                         null while the job is unfinished
 * @param referencesLeft   their sum (0 means {@code retire-cdks} can retire them), or -1 while unfinished
 */
public record MigrationRunDocument(int schemaVersion, String command, boolean dryRun, String hostDatabase,
                                   boolean resumed, boolean completedHere, MigrationJobInfo job,
                                   ValueCountsInfo byThisNode, int batchesThisNode, long millis, String referenceScan,
                                   List<CdkValueCount> oldCdkReferences, long referencesLeft) implements ReportDocument {

    /** The JSON view of {@code result}; CDK statuses come from {@code registry}. */
    public static MigrationRunDocument of(MigrationResult result, CdkRegistry registry, MigrationStore store,
                                          String hostDatabase, long millis) {
        List<CdkValueCount> old = result.references().map(scan -> oldReferences(scan, registry)).orElse(null);
        return new MigrationRunDocument(SCHEMA_VERSION, "migrate", false, hostDatabase, result.resumed(),
                result.completedHere(), MigrationJobInfo.of(result.job(), store.tally(result.job().id())),
                ValueCountsInfo.of(result.byThisNode()), result.batchesDone().size(), millis,
                result.references().map(s -> Times.of(s.completedAt())).orElse(null), old,
                old == null ? -1 : old.stream().mapToLong(CdkValueCount::values).sum());
    }

    private static List<CdkValueCount> oldReferences(ReferenceScan scan, CdkRegistry registry) {
        Map<CdkId, Long> old = new TreeMap<>();
        for (Cdk cdk : registry.list()) {
            if (cdk.status() == CdkStatus.DECRYPT_ONLY) {
                old.put(cdk.id(), 0L);
            }
        }
        scan.references().forEach((id, count) -> {
            if (!id.equals(scan.target())) {
                old.put(id, count);
            }
        });
        return old.entrySet().stream().map(e -> new CdkValueCount(e.getKey().toString(), registry.find(e.getKey())
                .map(c -> c.status().name()).orElse("UNKNOWN"), e.getValue())).toList();
    }
}
