package dev.dataenc.report;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationStatus;
import dev.dataenc.migrate.MigrationStore;
import dev.dataenc.migrate.ReferenceScan;
import dev.dataenc.migrate.ReferenceScans;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The data migrations of one record source.
 *
 * @param source           the record source
 * @param running          its unfinished migration, or null
 * @param lastCompleted    its most recent completed migration, or null
 * @param oldCdkReferences values left under CDKs other than the last completed migration's target, from the
 *                         reference scan recorded at its completion (non-zero counts only); null when there is
 *                         no completed migration or a newer scan of the source replaced that one
 */
public record MigrationSourceInfo(String source, MigrationJobInfo running, MigrationJobInfo lastCompleted,
                                  List<CdkValueCount> oldCdkReferences) {

    /** How many of the most recent jobs are looked at. */
    private static final int HISTORY = 500;

    /** Every record source with a migration in {@code plane}'s registry, in order of their newest job. */
    public static List<MigrationSourceInfo> all(ControlPlane plane) {
        MigrationStore store = new MigrationStore(plane.database());
        Map<String, MigrationJob> running = new LinkedHashMap<>();
        Map<String, MigrationJob> completed = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        for (MigrationJob job : store.history(HISTORY)) { // newest first
            if (!sources.contains(job.source())) {
                sources.add(job.source());
            }
            (job.status() == MigrationStatus.RUNNING ? running : completed).putIfAbsent(job.source(), job);
        }
        Map<String, ReferenceScan> scans = new ReferenceScans(plane.database()).latestPerSource().stream()
                .collect(Collectors.toMap(ReferenceScan::source, s -> s, (a, b) -> a));
        List<MigrationSourceInfo> out = new ArrayList<>();
        for (String source : sources) {
            MigrationJob r = running.get(source);
            MigrationJob c = completed.get(source);
            out.add(new MigrationSourceInfo(source, r == null ? null : MigrationJobInfo.of(r, store.tally(r.id())),
                    c == null ? null : MigrationJobInfo.of(c, store.tally(c.id())), left(plane, scans.get(source), c)));
        }
        return out;
    }

    private static List<CdkValueCount> left(ControlPlane plane, ReferenceScan scan, MigrationJob job) {
        if (job == null || scan == null || !scan.completedAt().equals(job.completedAt())) {
            return null;
        }
        Map<CdkId, Long> old = new TreeMap<>(scan.references());
        old.remove(scan.target());
        old.values().removeIf(n -> n == 0);
        return old.entrySet().stream().map(e -> new CdkValueCount(e.getKey().toString(), plane.registry()
                .find(e.getKey()).map(cdk -> cdk.status().name()).orElse("UNKNOWN"), e.getValue())).toList();
    }
}
