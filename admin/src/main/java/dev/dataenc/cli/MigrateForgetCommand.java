package dev.dataenc.cli;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.ForgottenSources;
import dev.dataenc.migrate.ReferenceScan;
import dev.dataenc.migrate.ReferenceScans;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc migrate forget --table T [--column C] [--reason "..."]}: declares the migrations of a source
 * mistaken (the wrong table, a wrong context), so that their scans are no evidence for or against retiring a
 * CDK any more. Audited. A later migration of the same source counts again.
 */
@Command(name = "forget", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forget a mistaken migration source: its scans no longer count for retiring CDKs (audited).",
                "A later migration of the same table and columns counts again."})
final class MigrateForgetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--table", required = true, paramLabel = "<table>", description = "The migrated table.")
    private String table;

    @Option(names = "--column", paramLabel = "<column>", description = "Only its sources that include this column.")
    private String column;

    @Option(names = "--reason", paramLabel = "<text>", description = "Why, for the audit trail.")
    private String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ControlPlane plane = AdminPlane.openInitialized(config.load())) {
            Map<String, ReferenceScan> scans = new java.util.HashMap<>();
            new ReferenceScans(plane.database()).latestPerSource().forEach(s -> scans.put(s.source(), s));
            List<String> forgotten = new ForgottenSources(plane.database(), Clock.systemUTC())
                    .forget(table, column, reason, plane.actor());
            for (String source : forgotten) {
                ReferenceScan last = scans.get(source);
                out.println("forgot source " + source + (last == null ? "" : " (its last scan found "
                        + describe(last.references()) + ")"));
            }
            out.println("its migrations so far no longer count as evidence for 'dataenc retire-cdks'; a new 'dataenc"
                    + " migrate' of it counts again");
        }
        return 0;
    }

    private static String describe(Map<CdkId, Long> refs) {
        return refs.isEmpty() ? "no encrypted value" : refs.values().stream().mapToLong(Long::longValue).sum()
                + " value(s) under " + refs.size() + " CDK(s)";
    }
}
