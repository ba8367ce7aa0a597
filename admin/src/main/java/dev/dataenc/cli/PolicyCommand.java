package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.Durations;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.cluster.RotationPolicyStore;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc policy show | set [--max-age <duration>] [--max-messages <n>]}: the CDK rotation policy the
 * registry holds for every node. The first application start records it from its file; after that only
 * {@code policy set} changes it (audited), whatever the nodes' files say.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Show or set the registry's CDK rotation policy (every node follows it): show | set --max-age --max-messages.")
final class PolicyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(index = "0", paramLabel = "<show|set>", description = "What to do.")
    private String action;

    @Option(names = "--max-age", paramLabel = "<duration>",
            description = "Rotate the ACTIVE CDK when it is older than this (30d to 365d).")
    private String maxAge;

    @Option(names = "--max-messages", paramLabel = "<n>",
            description = "Rotate the ACTIVE CDK after this many encryptions (1 to 2^32).")
    private Long maxMessages;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!action.equals("show") && !action.equals("set")) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "'; use show or set");
        }
        if (action.equals("show") && (maxAge != null || maxMessages != null)) {
            throw new ParameterException(spec.commandLine(), "--max-age and --max-messages go with 'set'");
        }
        if (action.equals("set") && maxAge == null && maxMessages == null) {
            throw new ParameterException(spec.commandLine(), "'policy set' needs --max-age and/or --max-messages");
        }
        DataEncConfig cfg = config.load();
        boolean show = action.equals("show");
        try (ControlPlane plane = AdminPlane.open(cfg, show)) {
            RotationPolicyStore store = new RotationPolicyStore(plane.database());
            Optional<RotationPolicy> recorded = store.read();
            if (show) {
                out.println("rotation policy:  " + recorded.map(RotationPolicyStore::describe)
                        .orElse("none recorded (the next application start records its file's: "
                                + RotationPolicyStore.describe(cfg.rotation()) + ")"));
                return 0;
            }
            RotationPolicy base = recorded.orElse(cfg.rotation());
            RotationPolicy next = policy(base);
            store.set(next, plane.actor());
            out.println("rotation policy:  " + RotationPolicyStore.describe(base) + " -> " + RotationPolicyStore.describe(next));
            out.println("  every node follows it from its next usage flush; nodes' files are not read for it any more");
        }
        return 0;
    }

    private RotationPolicy policy(RotationPolicy base) {
        Duration age = base.maxAge();
        if (maxAge != null) {
            age = Durations.parse(maxAge).orElseThrow(() -> new ParameterException(spec.commandLine(), "--max-age '"
                    + maxAge + "' is not a duration; use " + Durations.FORMS));
        }
        long messages = maxMessages == null ? base.maxMessages() : maxMessages;
        try {
            return new RotationPolicy(age, messages);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
