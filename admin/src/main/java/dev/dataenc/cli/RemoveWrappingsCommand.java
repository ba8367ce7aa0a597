package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.WrappingRemoval;
import dev.dataenc.error.DataEncException;
import dev.dataenc.report.WrappingRemovalDocument;

import java.io.PrintWriter;
import java.util.Set;
import java.util.TreeSet;
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
        try (ControlPlane plane = AdminPlane.open(cfg, dryRun)) {
            requireKnown(cfg, plane);
            String active = plane.jobs().state().orElseThrow().activeKeystore();
            if (active.equals(keystore)) {
                throw new DataEncException("keystore '" + keystore + "' is the active keystore; its wrappings are the ones"
                        + " in use. Switch to another keystore first (dataenc switch <keystore>), then remove these.");
            }
            WrappingRemoval.Result r = plane.removeWrappings(keystore, dryRun);
            if (json.enabled()) {
                JsonOption.print(out, WrappingRemovalDocument.of(keystore, r));
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

    /**
     * A name that no configured keystore has and no wrapping in the registry carries is a typo: a usage error
     * naming the keystores there are (a keystore removed from the configuration can still be named while
     * wrappings by it remain).
     */
    private void requireKnown(DataEncConfig cfg, ControlPlane plane) {
        if (cfg.keystores().containsKey(keystore)) {
            return;
        }
        Set<String> inRegistry = new TreeSet<>();
        plane.registry().list().forEach(c -> c.wrappings().forEach(w -> inRegistry.add(w.keystoreName())));
        if (!inRegistry.contains(keystore)) {
            throw new ParameterException(spec.commandLine(), "keystore '" + keystore + "' is neither configured nor"
                    + " wraps any CDK; configured keystores: " + String.join(", ", cfg.keystores().keySet())
                    + (inRegistry.isEmpty() ? "" : "; keystores with wrappings in the registry: "
                    + String.join(", ", inRegistry)));
        }
    }
}
