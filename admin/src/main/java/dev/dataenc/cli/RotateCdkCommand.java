package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.ControlPlane;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dataenc rotate-cdk}: a new ACTIVE CDK under the active keystore; the old one becomes DECRYPT_ONLY. */
@Command(name = "rotate-cdk", mixinStandardHelpOptions = true,
        description = "Generate a new ACTIVE CDK under the active keystore; the previous one stays for decryption.")
final class RotateCdkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--reason", paramLabel = "<text>", description = "Why, for the audit trail.")
    private String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ControlPlane plane = AdminPlane.open(config.load())) {
            Optional<Cdk> old = plane.registry().findActive();
            Cdk cdk = plane.rotateCdk(reason);
            CdkActions.rotatedLines(old, cdk).forEach(out::println);
        }
        return 0;
    }
}
