package dev.dataenc.cli;

import dev.dataenc.audit.Actor;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.audit.AuditTrail;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.report.AuditDocument;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc audit}: the most recent audit events, oldest first, one per line, control characters
 * escaped; {@code --verify} checks the trail's hash chain instead (exit 1 naming the first broken entry). It reads the
 * registry only: no keystore is opened.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Print the most recent audit events (who did what, when), oldest first.",
                "With --verify, check the hash chain of the whole trail: exit 1 naming the first entry that was"
                        + " changed, deleted or reordered."})
final class AuditCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "How many events (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--verify", description = "Check the audit trail's hash chain instead of printing events.")
    private boolean verify;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RegistryDatabase db = AdminPlane.openRegistryToLook(config.load())) {
            AuditTrail trail = new JdbcAuditTrail(db, Actor.current(AdminPlane.TOOL));
            if (verify) {
                out.println(trail.verify().line());
                return 0;
            }
            if (json.enabled()) {
                JsonOption.print(out, AuditDocument.of(limit, trail.recent(limit)));
                return 0;
            }
            for (AuditEvent e : trail.recent(limit)) {
                out.println(e.line());
            }
        }
        return 0;
    }
}
