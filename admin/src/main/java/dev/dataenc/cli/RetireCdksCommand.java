package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.migrate.ScanEvidence;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.RetirementResult;
import dev.dataenc.report.RetirementDocument;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc retire-cdks [--dry-run]}: retires every DECRYPT_ONLY CDK that the reference scans
 * prove no record references, and lists the ones that must stay, with why. The evidence comes from
 * a {@link CdkReferenceEvidence} made for the opened control plane: by default the reference scans
 * that {@code dataenc migrate} records ({@link ScanEvidence}); with no scan, nothing is proven and
 * every CDK stays. A CDK whose usage counters record BLOBs stays until {@code --attest-no-blobs <id> --reason}
 * records, audited, that none is left (no scan can see BLOBs).
 */
@Command(name = "retire-cdks", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Retire every DECRYPT_ONLY CDK that reference scans prove unreferenced; list the ones that stay.",
                "A CDK whose usage counters record BLOBs stays until an operator attests, with a reason, that none"
                        + " is left (--attest-no-blobs <cdk-id> --reason \"...\"; audited)."})
final class RetireCdksCommand implements Callable<Integer> {

    /** The evidence used when none is given: the migration engine's reference scans in the registry. */
    static final Function<ControlPlane, CdkReferenceEvidence> SCANS = plane -> new ScanEvidence(plane.database());

    private final Function<ControlPlane, CdkReferenceEvidence> evidence;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Option(names = "--dry-run", description = "Show what would be retired; change nothing.")
    private boolean dryRun;

    @Option(names = "--attest-no-blobs", paramLabel = "<cdk-id>",
            description = "Record (audited) that no BLOB encrypted under this CDK is left, then retire what the"
                    + " evidence allows. Needs --reason.")
    private String attestNoBlobs;

    @Option(names = "--reason", paramLabel = "<text>", description = "How you know (with --attest-no-blobs).")
    private String reason;

    /** The command with the default evidence ({@link #SCANS}). */
    RetireCdksCommand() {
        this(SCANS);
    }

    /** The command with evidence made for each opened control plane (the seam for the migration engine's scans). */
    RetireCdksCommand(Function<ControlPlane, CdkReferenceEvidence> evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (attestNoBlobs != null && (reason == null || reason.isBlank() || dryRun)) {
            throw new ParameterException(spec.commandLine(), dryRun ? "--attest-no-blobs records evidence; it does not"
                    + " go with --dry-run" : "--attest-no-blobs needs --reason \"<how you know no BLOB under it is left>\"");
        }
        if (attestNoBlobs == null && reason != null) {
            throw new ParameterException(spec.commandLine(), "--reason goes with --attest-no-blobs");
        }
        try (ControlPlane plane = dryRun ? AdminPlane.openToLook(config.load()) : AdminPlane.openInitialized(config.load())) {
            if (attestNoBlobs != null) {
                CdkId id = parse(attestNoBlobs);
                Cdk cdk = plane.registry().find(id).orElseThrow(() -> new UnknownCdkException(id, "CDK " + id
                        + " is not in the registry; 'dataenc status' lists the CDKs by status"));
                long blobs = plane.blobAttestations().attestNoBlobs(cdk, reason, plane.actor());
                out.println("recorded (audited as CDK_ATTESTED): no BLOB under CDK " + id + " is left (covers the " + blobs
                        + " BLOB(s) its usage counters record)");
            }
            RetirementResult r = plane.retireCdks(evidence.apply(plane), dryRun);
            if (json.enabled()) {
                JsonOption.print(out, RetirementDocument.of(r));
                return 0;
            }
            out.println((dryRun ? "would retire " : "retired ") + count(r.retired().size())
                    + (r.retired().isEmpty() ? "" : ": " + r.retired().stream().map(CdkId::toString)
                    .collect(Collectors.joining(", "))));
            out.println("kept " + count(r.kept().size()) + " DECRYPT_ONLY" + (r.kept().isEmpty() ? ""
                    : " (a record may still reference them; data under them stays readable):"));
            r.kept().forEach((id, why) -> out.println("  " + id + ": " + why));
            if (dryRun) {
                out.println("dry run: nothing changed");
            }
        }
        return 0;
    }

    private static CdkId parse(String text) {
        try {
            return CdkId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new DataEncException(e.getMessage() + "; 'dataenc status' and 'dataenc audit' show CDK ids");
        }
    }

    private static String count(int n) {
        return n + " CDK" + (n == 1 ? "" : "s");
    }
}
