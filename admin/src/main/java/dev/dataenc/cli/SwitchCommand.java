package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigFile;
import dev.dataenc.config.ConfigFileLock;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchJob;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchPlan;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.report.SwitchPlanDocument;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc switch <keystore>}: makes another configured keystore the active one, the same
 * guarded, resumable switch a configuration change starts (see {@code KeystoreSwitch}); then writes
 * the new active keystore into the configuration file, so the file says what the registry says.
 * {@code --dry-run} prints the plan and changes nothing (exit 0 if allowed, 1 if it would be refused).
 * A switch that changes the cipher type needs {@code --cipher-type} naming the target's type.
 * Re-running the same command after a crash or a failure resumes the unfinished switch; a switch that
 * failed after its job started leaves the file naming the target. {@code --cancel} rolls back an
 * unfinished switch whose new CDK has encrypted nothing (and puts the source back into the file).
 */
@Command(name = "switch", mixinStandardHelpOptions = true,
        description = "Switch the active keystore: new ACTIVE CDK under it, every CDK re-wrapped under it; data is not re-encrypted.")
final class SwitchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private DataencCli root;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<keystore>",
            description = "The configured keystore to make active (again, to resume an unfinished switch to it).")
    private String target;

    @Option(names = "--cancel", description = "Roll back the unfinished switch while its new CDK has encrypted nothing.")
    private boolean cancel;

    @Option(names = "--dry-run", description = "Show the checks and the plan; change nothing.")
    private boolean dryRun;

    @Option(names = "--cipher-type", paramLabel = "<platform|custom|keystore>",
            description = "Confirms a switch that changes the cipher type; must be the target keystore's.")
    private String cipherType;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json.enabled() && !dryRun) {
            throw new ParameterException(spec.commandLine(), "--json is for the plan: use it with --dry-run");
        }
        Optional<CipherType> confirmed = parseCipherType();
        if (cancel) {
            if (target != null || dryRun || cipherType != null) {
                throw new ParameterException(spec.commandLine(), "--cancel takes no keystore, --dry-run or --cipher-type");
            }
            return cancel(out);
        }
        if (target == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: '<keystore>'"
                    + " (or --cancel to roll back an unfinished switch)");
        }
        Path file = config.path();
        DataEncConfig cfg = config.load();
        CipherType targetType = SwitchAction.targetType(cfg, file, target);
        try (RewrapProgressBar progress = new RewrapProgressBar(err, root != null && root.interactive());
             ControlPlane plane = dryRun ? AdminPlane.openToLook(cfg, progress) : AdminPlane.open(cfg, progress)) {
            if (dryRun) {
                CipherType current = plane.jobs().state().orElseThrow().cipherType();
                return dryRun(out, err, plane, current, targetType);
            }
            SwitchAction.Result result = SwitchAction.run(plane, file, cfg, target, confirmed);
            progress.close();
            SwitchAction.outcomeLines(plane, result, file, target).forEach(out::println);
        }
        return 0;
    }

    private int cancel(PrintWriter out) {
        Path file = config.path();
        DataEncConfig cfg = config.load();
        try (ControlPlane plane = AdminPlane.openInitialized(cfg); // refuses a registry that does not exist first
             ConfigFileLock ignored = ConfigFileLock.tryAcquire(file)
                     .orElseThrow(() -> new DataEncException("switch --cancel refused: " + ConfigFileLock.busy(file)))) {
            SwitchJob job = plane.cancelSwitch();
            out.println("switch '" + job.source() + "' -> '" + job.target() + "': CANCELLED");
            plane.registry().findActive().ifPresent(c -> out.println("  ACTIVE CDK: " + c.id() + " (again)"));
            if (job.newCdkId() != null && plane.registry().find(job.newCdkId()).isPresent()) {
                out.println("  the switch's new CDK " + job.newCdkId() + " encrypted nothing and is RETIRED");
            }
            if (config.load().activeKeystore().equals(job.target())) { // read under the lock
                ConfigFile.writeActiveKeystore(file, job.source(), plane.jobs().state().orElseThrow().cipherType());
                out.println("  configuration: " + file + " names '" + job.source() + "' again");
            }
        }
        return 0;
    }

    private int dryRun(PrintWriter out, PrintWriter err, ControlPlane plane, CipherType current, CipherType targetType) {
        SwitchPlan plan = plane.planSwitch(target);
        if (json.enabled()) {
            JsonOption.print(out, SwitchPlanDocument.of(plan, current, targetType));
        } else {
            plan.lines().forEach(out::println);
            if (current != targetType) {
                out.println("  cipher type changes " + current + " -> " + targetType + ": running it needs --cipher-type "
                        + targetType);
            }
            out.println("dry run: nothing changed");
        }
        if (!plan.allowed()) {
            err.println("dataenc: switch to '" + target + "' would be refused: " + plan.refusals().stream()
                    .map(r -> r.guard() + ": " + r.message()).collect(Collectors.joining(" | ")));
            return DataencCli.EXIT_FAILURE;
        }
        return 0;
    }

    private Optional<CipherType> parseCipherType() {
        if (cipherType == null) {
            return Optional.empty();
        }
        return Optional.of(CipherType.parse(cipherType).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--cipher-type '" + cipherType + "' is not valid; use one of " + CipherType.validValues())));
    }
}
