package dev.dataenc.control.keyswitch;

import dev.dataenc.control.guard.GuardResult;

import dev.dataenc.cdk.CdkId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a keystore switch would do: each guard's outcome and the CDKs that would get a new
 * wrapping under the target. Computing it changes nothing ({@code dataenc switch --dry-run}).
 *
 * @param source      the active keystore now
 * @param target      the keystore to switch to
 * @param checks      every guard's outcome
 * @param toRewrap    CDKs without a wrapping under the target's master key
 * @param alreadyDone CDKs that have one already
 */
public record SwitchPlan(String source, String target, List<GuardResult> checks, List<CdkId> toRewrap, int alreadyDone) {

    public SwitchPlan {
        checks = List.copyOf(checks);
        toRewrap = List.copyOf(toRewrap);
    }

    /** True if every guard passed. */
    public boolean allowed() {
        return checks.stream().allMatch(GuardResult::passed);
    }

    /** The refusals. */
    public List<GuardResult> refusals() {
        return checks.stream().filter(r -> !r.passed()).toList();
    }

    /**
     * What the switch would do, on one line ({@code generate a new ACTIVE CDK under ...}), or empty when a guard
     * refuses it: then nothing would run.
     */
    public Optional<String> planLine() {
        if (!allowed()) {
            return Optional.empty();
        }
        return Optional.of("generate a new ACTIVE CDK under '" + target + "', re-wrap " + toRewrap.size() + " CDK"
                + (toRewrap.size() == 1 ? "" : "s") + " under it (" + alreadyDone + " already wrapped there),"
                + " keep every existing wrapping, re-encrypt no data");
    }

    /** Multi-line description for the CLI: the guards, then the plan, or that none would run when refused. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("switch '" + source + "' -> '" + target + "'" + (allowed() ? "" : " would be REFUSED"));
        for (GuardResult r : checks) {
            lines.add("  " + r.line());
        }
        lines.add("  plan: " + planLine().orElse("none: the switch is refused, so nothing would run (fix what is"
                + " REFUSED above and run the dry run again)"));
        return lines;
    }
}
