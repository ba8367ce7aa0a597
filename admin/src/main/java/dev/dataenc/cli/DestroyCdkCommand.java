package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.lifecycle.DestructionSchedule;
import dev.dataenc.error.DataEncException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc destroy-cdk}: scheduled destruction of RETIRED CDKs, like a KMS key deletion.
 * <ul>
 *   <li>{@code destroy-cdk <id> [--waiting-days N] --yes-destroy-data-encrypted-under-it}: schedules it (default 30
 *       days, 7 to 365), printing its usage counts and when it is due; meanwhile every use of it is refused and
 *       audited as an alarm;</li>
 *   <li>{@code destroy-cdk --cancel <id>}: cancels, the CDK is RETIRED again;</li>
 *   <li>{@code destroy-cdk --complete-due}: deletes the wrappings of every CDK whose waiting period ended;</li>
 *   <li>{@code destroy-cdk --list}: the CDKs waiting, with their due time and usage.</li>
 * </ul>
 */
@Command(name = "destroy-cdk", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Schedule the destruction of a RETIRED CDK after a waiting period (cancellable), or complete the"
                + " destructions that are due. Once complete, data still under it can never be decrypted."})
final class DestroyCdkCommand implements Callable<Integer> {

    static final String CONFIRM = "--yes-destroy-data-encrypted-under-it";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<cdk-id>", description = "The RETIRED CDK to schedule.")
    private String id;

    @Option(names = "--waiting-days", paramLabel = "<days>", description = "Days before its wrappings are deleted"
            + " (default " + CdkDestruction.DEFAULT_WAITING_DAYS + ", " + CdkDestruction.MIN_WAITING_DAYS + " to "
            + CdkDestruction.MAX_WAITING_DAYS + ").")
    private Integer waitingDays;

    @Option(names = CONFIRM, description = "Confirm that data still encrypted under it may be lost for good.")
    private boolean confirmed;

    @Option(names = "--cancel", paramLabel = "<cdk-id>", description = "Cancel a scheduled destruction (RETIRED again).")
    private String cancel;

    @Option(names = "--complete-due", description = "Delete the wrappings of every CDK whose waiting period ended.")
    private boolean completeDue;

    @Option(names = "--list", description = "List the CDKs waiting to be destroyed.")
    private boolean list;

    @Override
    public Integer call() {
        int modes = (id != null ? 1 : 0) + (cancel != null ? 1 : 0) + (completeDue ? 1 : 0) + (list ? 1 : 0);
        if (modes != 1) {
            throw new ParameterException(spec.commandLine(), "give exactly one of <cdk-id> (schedule), --cancel <cdk-id>,"
                    + " --complete-due or --list");
        }
        if (waitingDays != null && (id == null || waitingDays < CdkDestruction.MIN_WAITING_DAYS
                || waitingDays > CdkDestruction.MAX_WAITING_DAYS)) {
            throw new ParameterException(spec.commandLine(), id == null ? "--waiting-days goes with <cdk-id>"
                    : "--waiting-days must be between " + CdkDestruction.MIN_WAITING_DAYS + " and "
                    + CdkDestruction.MAX_WAITING_DAYS + ", got " + waitingDays);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (id != null) {
            CdkId cdkId = parse(id);
            if (!confirmed) {
                throw new DataEncException("destroying CDK " + cdkId + " deletes all its wrappings after the waiting"
                        + " period: anything still encrypted under it can never be decrypted again. If that is what you"
                        + " want, run again with " + CONFIRM);
            }
            try (ControlPlane plane = AdminPlane.openInitialized(config.load())) {
                int days = waitingDays == null ? CdkDestruction.DEFAULT_WAITING_DAYS : waitingDays;
                DestructionSchedule s = plane.destruction().schedule(cdkId, Duration.ofDays(days));
                out.println("scheduled the destruction of CDK " + cdkId + ": its wrappings are deleted after " + s.dueAt()
                        + " (" + days + " days)");
                out.println("usage counters: " + s.usage().describe() + " under it");
                out.println("until then any use of it is refused and audited as CDK_USE_REFUSED_ALARM; cancel with"
                        + " 'dataenc destroy-cdk --cancel " + cdkId + "'; after it, 'dataenc destroy-cdk --complete-due'"
                        + " deletes its wrappings");
            }
            return 0;
        }
        try (ControlPlane plane = AdminPlane.openInitialized(config.load())) {
            CdkDestruction destruction = plane.destruction();
            if (cancel != null) {
                Cdk back = destruction.cancel(parse(cancel));
                out.println("cancelled the destruction of CDK " + back.id() + ": it is " + back.status()
                        + " again and keeps its wrappings");
            } else if (completeDue) {
                List<Cdk> destroyed = destruction.completeDue();
                destroyed.forEach(c -> out.println("destroyed CDK " + c.id() + " at " + c.destroyedAt()
                        + ": its wrappings are deleted and it can never be unwrapped again"));
                List<DestructionSchedule> waiting = destruction.scheduled();
                out.println("destroyed " + destroyed.size() + " CDK(s) whose waiting period ended; " + waiting.size()
                        + " still waiting" + (waiting.isEmpty() ? "" : " (next due " + waiting.get(0).dueAt() + ")"));
            } else {
                List<DestructionSchedule> waiting = destruction.scheduled();
                out.println(waiting.size() + " CDK(s) scheduled for destruction" + (waiting.isEmpty() ? "" : ":"));
                waiting.forEach(s -> out.println("  " + s.cdkId() + "  due " + s.dueAt() + "  usage: "
                        + s.usage().describe()));
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
}
