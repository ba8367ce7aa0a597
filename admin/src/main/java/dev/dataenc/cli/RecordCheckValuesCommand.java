package dev.dataenc.cli;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.CheckValueBackfill;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc record-check-values [--dry-run]}: gives CDKs created before key check values existed a check
 * value, so every later unwrap of them is verified. Exit 1 if any could not be established.
 */
@Command(name = "record-check-values", mixinStandardHelpOptions = true,
        description = "Record key check values for CDKs created before check values existed (run once after upgrading).")
final class RecordCheckValuesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--dry-run", description = "Only say which CDKs would get a check value.")
    private boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ControlPlane plane = dryRun ? AdminPlane.openToLook(config.load()) : AdminPlane.open(config.load())) {
            CheckValueBackfill.Result r = plane.recordCheckValues(dryRun);
            out.println((dryRun ? "would record" : "recorded") + " a check value for " + r.recorded().size() + " CDK(s)"
                    + (r.recorded().isEmpty() ? "" : ": " + r.recorded()));
            r.failed().forEach(f -> out.println("  NOT ESTABLISHED " + f));
            if (!r.failed().isEmpty()) {
                spec.commandLine().getErr().println("dataenc: " + r.failed().size() + " CDK(s) could not get a check"
                        + " value (see the NOT ESTABLISHED lines): configure a keystore that holds their wrappings and run"
                        + " again");
                return DataencCli.EXIT_FAILURE;
            }
        }
        return 0;
    }
}
