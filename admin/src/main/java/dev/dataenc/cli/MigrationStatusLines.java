package dev.dataenc.cli;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.migrate.BatchStatus;
import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationStatus;
import dev.dataenc.migrate.MigrationStore;
import dev.dataenc.migrate.ReferenceScan;
import dev.dataenc.migrate.ReferenceScans;
import dev.dataenc.registry.RegistryDatabase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The migration section of {@code dataenc status}: per record source, the running migration and the
 * last completed one, with batches done of total, values migrated, when it started and completed,
 * and the values left under other CDKs than its target.
 */
final class MigrationStatusLines {

    /** How many of the most recent jobs are looked at. */
    private static final int HISTORY = 500;

    private MigrationStatusLines() {
    }

    static List<String> of(RegistryDatabase db) {
        MigrationStore store = new MigrationStore(db);
        Map<String, MigrationJob> running = new LinkedHashMap<>();
        Map<String, MigrationJob> completed = new LinkedHashMap<>();
        for (MigrationJob job : store.history(HISTORY)) { // newest first
            (job.status() == MigrationStatus.RUNNING ? running : completed).putIfAbsent(job.source(), job);
        }
        Map<String, ReferenceScan> scans = new ReferenceScans(db).latestPerSource().stream()
                .collect(Collectors.toMap(ReferenceScan::source, s -> s, (a, b) -> a));
        List<String> out = new ArrayList<>();
        if (running.isEmpty() && completed.isEmpty()) {
            out.add("migrations:       none yet ('dataenc migrate' re-encrypts a table under the ACTIVE CDK)");
            return out;
        }
        out.add("migrations:");
        running.values().forEach(j -> out.add("  RUNNING   " + line(j, store.tally(j.id()).get(BatchStatus.DONE))
                + ", " + store.tally(j.id()).get(BatchStatus.CLAIMED) + " claimed; resume: the same 'dataenc migrate'"));
        completed.values().forEach(j -> out.add("  COMPLETED " + line(j, j.batchesTotal()) + ", completed "
                + j.completedAt() + ", values found under old CDKs by its scan: " + left(scans.get(j.source()), j)));
        return out;
    }

    private static String line(MigrationJob job, int batchesDone) {
        return job.source() + ": job " + job.id() + " to CDK " + job.target() + " (" + job.mode() + "), "
                + batchesDone + "/" + job.batchesTotal() + " batches, " + job.counts().records() + " records, "
                + job.counts().written() + " values migrated, started " + job.startedAt() + " by " + job.startedBy();
    }

    private static String left(ReferenceScan scan, MigrationJob job) {
        if (scan == null || !scan.completedAt().equals(job.completedAt())) {
            return "see the source's latest migration";
        }
        Map<CdkId, Long> old = new TreeMap<>(scan.references());
        old.remove(scan.target());
        old.values().removeIf(n -> n == 0);
        return old.isEmpty() ? "none" : old.toString();
    }
}
