package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.migrate.BatchStatus;
import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationMode;
import dev.dataenc.migrate.MigrationPlan;
import dev.dataenc.migrate.MigrationResult;
import dev.dataenc.migrate.ReferenceScan;
import dev.dataenc.migrate.SourceScan;
import dev.dataenc.migrate.ValueCounts;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes what {@code dataenc migrate} found or did: counts and CDK ids, never a value.
 */
final class MigrationReport {

    private final JdbcCdkRegistry registry;
    private final PrintWriter out;

    MigrationReport(JdbcCdkRegistry registry, PrintWriter out) {
        this.registry = registry;
        this.out = out;
    }

    /** The dry run: values per CDK (with each CDK's status), plaintext, nulls, what a run would write. */
    void plan(MigrationPlan plan) {
        SourceScan scan = plan.scan();
        long current = scan.perCdk().getOrDefault(plan.target(), 0L);
        out.println("dry run:          " + plan.source());
        out.println("target:           ACTIVE CDK " + plan.target());
        out.println("records:          " + scan.records());
        out.println("values found per CDK:" + (scan.perCdk().isEmpty() ? " none encrypted" : ""));
        new TreeMap<>(scan.perCdk()).forEach((id, n) -> out.println("  " + id + "  " + status(id) + "  " + n
                + (id.equals(plan.target()) ? " (already current: skipped)" : "")));
        out.println("already current:  " + current + " (under the ACTIVE CDK)");
        out.println("plaintext:        " + scan.plaintext() + (scan.plaintext() == 0 ? ""
                : plan.mode() == MigrationMode.ENCRYPT_PLAINTEXT ? " (would be encrypted)"
                : " (not encrypted; left alone; --encrypt-plaintext encrypts them)"));
        out.println("nulls:            " + scan.nulls());
        out.println("unreadable:       " + scan.malformed() + " (ciphertext header cannot be read; values under a"
                + " wrong context are found only by a run)");
        out.println("would write:      " + plan.toWrite() + " values, in " + plan.batches() + " batch(es)");
        plan.unfinished().ifPresent(j -> out.println("unfinished:       " + j.summary()
                + "; the same command without --dry-run resumes it"));
        out.println("dry run: nothing changed");
    }

    /** Before a run that picks up an unfinished job. */
    void resuming(MigrationJob job, Map<BatchStatus, Integer> tally) {
        out.println("resuming:         " + job.summary() + ", started " + job.startedAt() + " by " + job.startedBy() + "; "
                + tally.get(BatchStatus.DONE) + "/" + job.batchesTotal() + " batches done, "
                + tally.get(BatchStatus.CLAIMED) + " claimed by a node");
    }

    /** After a run: the job's counts over all nodes, the references left per old CDK, the next step. */
    void result(MigrationResult result, long millis) {
        MigrationJob job = result.job();
        ValueCounts n = job.counts();
        out.println(job.status() + " migration " + job.id() + " of " + job.source());
        out.println("  " + (result.resumed() ? "resumed (an unfinished job: after a crash, or joined another node)"
                : "started") + "; target ACTIVE CDK " + job.target() + ", mode " + job.mode());
        out.println("  records:          " + n.records());
        out.println("  migrated:         " + n.migrated() + " (re-encrypted under the ACTIVE CDK, verified)");
        if (job.mode() == MigrationMode.ENCRYPT_PLAINTEXT) {
            out.println("  encrypted:        " + n.encryptedPlaintext() + " plaintext values");
        }
        out.println("  skipped:          " + n.alreadyTarget() + " already current (under the ACTIVE CDK)");
        out.println("  changed by app:   " + n.changedByApp() + " (the application wrote them meanwhile; kept)");
        out.println("  plaintext:        " + n.plaintext() + (n.plaintext() == 0 ? ""
                : " (not encrypted; left alone; --encrypt-plaintext encrypts them)"));
        out.println("  unreadable:       " + n.unreadable() + (n.unreadable() == 0 ? ""
                : " (look encrypted but do not decrypt with the column's context; left alone)"));
        out.println("  nulls:            " + n.nulls());
        long mine = result.byThisNode().records();
        out.println("  this node:        " + mine + " records in " + result.batchesDone().size() + " batch(es), "
                + String.format("%.1f s", millis / 1000.0) + (millis > 0 && mine > 0
                ? String.format(", %,d records/s", mine * 1000L / millis) : ""));
        result.references().ifPresent(this::references);
    }

    private void references(ReferenceScan scan) {
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
        long left = old.values().stream().mapToLong(Long::longValue).sum();
        out.println("values found under old CDKs (scan at completion, " + scan.completedAt() + "):"
                + (old.isEmpty() ? " no old CDK" : ""));
        old.forEach((id, count) -> out.println("  " + id + "  " + status(id) + "  " + count));
        if (left > 0) {
            out.println("next: " + left + " value(s) still under old CDKs (written by a node that had not seen the new"
                    + " ACTIVE CDK, or unreadable); run this command again. Then 'dataenc retire-cdks'.");
        } else {
            out.println("next: 'dataenc retire-cdks --dry-run', then 'dataenc retire-cdks' to retire the old CDKs (a CDK"
                    + " is retired once every migrated source was scanned after it went out of use), then"
                    + " 'dataenc destroy-cdk <id> --yes-destroy-data-encrypted-under-it' if its wrappings must go.");
        }
    }

    private String status(CdkId id) {
        return registry.find(id).map(c -> c.status().name()).orElse("UNKNOWN (not in this registry)");
    }
}
