package dev.dataenc.cli;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.report.StatusDocument;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc status}: cipher type, active keystore and its master key state, every configured
 * keystore, CDKs by status and by wrapping, a switch in progress, the last refusal, every node of the
 * cluster (live or stale, drift, refusals, cache counters),
 * and the running and last completed data migration of each record source.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the active keystore, its master key, the CDKs, any switch in progress and the data migrations.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ControlPlane plane = AdminPlane.openToLook(config.load())) {
            if (json.enabled()) {
                JsonOption.print(out, StatusDocument.of(plane, config.path().toString()));
                return 0;
            }
            out.println("configuration:    " + config.path());
            plane.status().lines().forEach(out::println);
            MigrationStatusLines.of(plane.database()).forEach(out::println);
            plane.cluster().lines().forEach(out::println);
        }
        return 0;
    }
}
