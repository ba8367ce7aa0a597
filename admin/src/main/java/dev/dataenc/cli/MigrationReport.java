package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.migrate.BatchStatus;
import dev.dataenc.migrate.ContextCheck;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.migrate.SourceColumn;
import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationMode;
import dev.dataenc.migrate.MigrationPlan;
import dev.dataenc.migrate.MigrationResult;
import dev.dataenc.migrate.ReferenceScan;
import dev.dataenc.migrate.SourceScan;
import dev.dataenc.migrate.ValueCounts;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * The context each column is bound to; with {@code --encrypt-plaintext}, that the plaintext will be bound to it
     * (a wrong one cannot be detected), and with {@code --from-context}, the re-binding.
     */
    void contexts(List<SourceColumn> columns, MigrationRequest request) {
        for (SourceColumn c : columns) {
            out.println("column:           " + c.name() + " -> context '" + c.context() + "'"
                    + (request.fromContext() == null ? "" : " (re-binding values encrypted under context '"
                    + request.fromContext() + "')"));
        }
        if (request.mode() == MigrationMode.ENCRYPT_PLAINTEXT) {
            out.println("plaintext values are encrypted bound to the context above: a wrong context cannot be detected"
                    + " for them, and the application must decrypt with exactly this context");
        }
    }

    /**
     * The dry run: values per CDK (with each CDK's status), plaintext, nulls, what a run would write, the context
     * check. Returns the exit code: 1 if a run would be refused for a wrong context.
     */
    int plan(MigrationPlan plan) {
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
        ContextCheck check = plan.contextCheck();
        out.println("context check:    " + (check.passed() ? check.sampled() + " sampled ciphertext(s) decrypt with"
                + " their column's context" : "FAILED, a run would be refused: " + check.diagnosis()));
        out.println("dry run: nothing changed");
        return check.passed() ? 0 : DataencCli.EXIT_FAILURE;
    }

    /** Before a run that picks up an unfinished job. */
    void resuming(MigrationJob job, Map<BatchStatus, Integer> tally) {
        out.println("resuming:         " + job.summary() + ", started " + job.startedAt() + " by " + job.startedBy() + "; "
                + tally.get(BatchStatus.DONE) + "/" + job.batchesTotal() + " batches done, "
                + tally.get(BatchStatus.CLAIMED) + " claimed by a node");
    }

    /**
     * After a run: the job's counts over all nodes, the references left per old CDK, the next step. Returns the exit
     * code: 1 when values are left unreadable or under old CDKs.
     */
    int result(MigrationResult result, long millis) {
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
        return result.references().map(scan -> references(scan, n)).orElse(0);
    }

    private int references(ReferenceScan scan, ValueCounts n) {
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
        Optional<CdkId> active = registry.findActive().map(Cdk::id);
        long foreign = scan.references().entrySet().stream().filter(e -> registry.find(e.getKey()).isEmpty())
                .mapToLong(Map.Entry::getValue).sum();
        long lagging = Math.max(0, left - n.unreadable());
        if (n.unreadable() == 0 && left == 0) {
            out.println("next: 'dataenc retire-cdks --dry-run', then 'dataenc retire-cdks' to retire the old CDKs (a CDK"
                    + " is retired once every migrated source was scanned after it went out of use), then"
                    + " 'dataenc destroy-cdk <id> --yes-destroy-data-encrypted-under-it' to schedule their destruction.");
            return 0;
        }
        out.println("NOT DONE: values are left unreadable or unmigrated; their CDKs cannot be retired while they remain.");
        if (n.unreadable() > 0) {
            out.println("  unreadable: " + n.unreadable() + " value(s) were left as they are, and running this command"
                    + " again changes nothing for them. They look encrypted but do not decrypt with their column's"
                    + " context" + (foreign > 0 ? " (" + foreign + " are under CDKs this registry does not know: another"
                    + " installation's data, or the wrong registry)" : "") + ". If they were encrypted under another"
                    + " context, re-run with --from-context <that context> (one --column at a time); otherwise restore"
                    + " them from a backup or their source.");
        }
        if (lagging > 0) {
            out.println("  unmigrated: " + lagging + " value(s) are still under old CDKs (written by a node that had not"
                    + " yet seen the ACTIVE CDK" + active.map(a -> " " + a).orElse("") + ", or by the application while"
                    + " the migration ran); run this command again: it migrates them.");
        }
        return DataencCli.EXIT_FAILURE;
    }

    private String status(CdkId id) {
        return registry.find(id).map(c -> c.status().name()).orElse("UNKNOWN (not in this registry)");
    }
}
