package dev.dataenc.report;

import dev.dataenc.config.CipherType;
import dev.dataenc.control.keyswitch.SwitchPlan;

import java.util.List;

/**
 * {@code dataenc switch <keystore> --dry-run --json}: what a keystore switch would do. Nothing was changed.
 *
 * @param schemaVersion      {@value ReportDocument#SCHEMA_VERSION}
 * @param command            {@code "switch"}
 * @param dryRun             always true
 * @param source             the active keystore now
 * @param target             the keystore to switch to
 * @param allowed            whether every guard passed (the command exits 1 otherwise)
 * @param cipherType         the cipher type now
 * @param targetCipherType   the target keystore's cipher type; a switch that changes it needs {@code --cipher-type}
 * @param checks             every guard's outcome
 * @param cdksToRewrap       CDKs that would get a wrapping under the target (once the switch is allowed)
 * @param cdksAlreadyWrapped CDKs that have one already
 * @param plan               what the switch would do, as the text output's {@code plan:} line; {@code null} when
 *                           {@code allowed} is false: nothing would run
 */
public record SwitchPlanDocument(int schemaVersion, String command, boolean dryRun, String source, String target,
                                 boolean allowed, String cipherType, String targetCipherType, List<GuardInfo> checks,
                                 List<String> cdksToRewrap, int cdksAlreadyWrapped, String plan)
        implements ReportDocument {

    public SwitchPlanDocument {
        checks = List.copyOf(checks);
        cdksToRewrap = List.copyOf(cdksToRewrap);
    }

    /** The JSON view of {@code plan}. */
    public static SwitchPlanDocument of(SwitchPlan plan, CipherType current, CipherType target) {
        return new SwitchPlanDocument(SCHEMA_VERSION, "switch", true, plan.source(), plan.target(), plan.allowed(),
                current.configValue(), target.configValue(), plan.checks().stream().map(GuardInfo::of).toList(),
                plan.toRewrap().stream().map(Object::toString).toList(), plan.alreadyDone(),
                plan.planLine().orElse(null));
    }
}
