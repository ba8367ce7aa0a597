package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.util.List;
import java.util.Map;

/**
 * What {@link CdkRetirement#retireAll} did (or, in a dry run, would do).
 *
 * @param retired the DECRYPT_ONLY CDKs that became (would become) RETIRED, oldest first
 * @param kept    the DECRYPT_ONLY CDKs that must stay, each with why, oldest first
 * @param dryRun  whether nothing was changed
 */
public record RetirementResult(List<CdkId> retired, Map<CdkId, String> kept, boolean dryRun) {

    public RetirementResult {
        retired = List.copyOf(retired);
        kept = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kept));
    }
}
