package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.report.WrappingRemovalDocument;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc remove-wrappings <keystore>}: the explicit step after a switch that drops a
 * keystore's old wrappings, so that the keystore can be retired. A wrapping is removed only when
 * another available keystore was proven to unwrap the same CDK; otherwise it is kept and listed.
 */
@Command(name = "remove-wrappings", mixinStandardHelpOptions = true,
        description = "Remove a keystore's old CDK wrappings where another available keystore unwraps the CDK.")
final class RemoveWrappingsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Parameters(index = "0", paramLabel = "<keystore>", description = "The keystore whose wrappings to remove.")
    private String keystore;

    @Option(names = "--dry-run", description = "Show what would be removed; change nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataEncConfig cfg = config.load();
        try (ControlPlane plane = dryRun ? AdminPlane.openToLook(cfg) : AdminPlane.openInitialized(cfg)) {
            CdkActions.unknownKeystore(cfg, plane, keystore).ifPresent(why -> {
                throw new ParameterException(spec.commandLine(), why);
            });
            WrappingRemovalDocument r = CdkActions.removeWrappings(plane, keystore, dryRun);
            if (json.enabled()) {
                JsonOption.print(out, r);
                return 0;
            }
            String verb = dryRun ? "would remove" : "removed";
            out.println(verb + " the wrapping by '" + keystore + "' from " + r.removed().size() + " CDK"
                    + (r.removed().size() == 1 ? "" : "s") + (r.removed().isEmpty() ? "" : ": " + r.removed()));
            out.println("kept " + r.kept().size() + (r.kept().isEmpty() ? "" : " (its only usable wrapping):"));
            r.kept().forEach(k -> out.println("  " + k));
            if (dryRun) {
                out.println("dry run: nothing changed");
            }
        }
        return 0;
    }
}
