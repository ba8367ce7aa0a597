package dev.dataenc.cli;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.VerifyReport;
import dev.dataenc.report.VerifyDocument;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc verify}: unwraps every CDK in use with every available keystore that holds a
 * wrapping of it. Exit code 1 when any CDK is at risk (no available keystore can unwrap it).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that every CDK in use can be unwrapped by an available keystore; exit 1 if any is at risk.")
final class VerifyCommand implements Callable<Integer> {

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
            VerifyReport report = plane.verify();
            if (json.enabled()) {
                JsonOption.print(out, VerifyDocument.of(report));
            } else {
                report.lines().forEach(out::println);
            }
            if (!report.ok()) {
                spec.commandLine().getErr().println("dataenc: " + report.unreadable().size() + " CDK"
                        + (report.unreadable().size() == 1 ? " is" : "s are") + " at risk: no available keystore can unwrap "
                        + (report.unreadable().size() == 1 ? "it" : "them") + " (see the AT RISK lines)");
                return DataencCli.EXIT_FAILURE;
            }
        }
        return 0;
    }
}
