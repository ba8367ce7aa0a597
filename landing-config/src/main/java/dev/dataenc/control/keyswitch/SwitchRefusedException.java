package dev.dataenc.control.keyswitch;

import dev.dataenc.control.guard.GuardResult;

import dev.dataenc.error.DataEncException;

import java.util.List;
import java.util.stream.Collectors;

/** A keystore switch was refused by its guards; nothing was changed. The message gives every reason. */
public class SwitchRefusedException extends DataEncException {

    private final transient SwitchPlan plan;

    public SwitchRefusedException(SwitchPlan plan) {
        super("switch from keystore '" + plan.source() + "' to '" + plan.target() + "' refused, nothing changed: "
                + plan.refusals().stream().map(r -> r.guard() + ": " + r.message()).collect(Collectors.joining(" | ")));
        this.plan = plan;
    }

    public SwitchRefusedException(String message) {
        super(message);
        this.plan = null;
    }

    /** The plan with the guards' outcomes, or {@code null} when refused before the guards ran. */
    public SwitchPlan plan() {
        return plan;
    }

    /** The refusal reasons. */
    public List<GuardResult> reasons() {
        return plan == null ? List.of() : plan.refusals();
    }
}
