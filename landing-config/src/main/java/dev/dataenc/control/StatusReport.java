package dev.dataenc.control;

import dev.dataenc.control.keyswitch.SwitchJob;

import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.CipherType;
import dev.dataenc.envelope.CacheStats;
import dev.dataenc.keystore.MasterKeyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code dataenc status} shows.
 *
 * @param cipherType        the active cipher type (registry)
 * @param activeKeystore    the active keystore (registry)
 * @param configuredActive  the active keystore the configuration asks for
 * @param activeMasterKey   the active keystore's master key and its state
 * @param keystores         one line per configured keystore (type and state, or why it cannot be opened)
 * @param cdksByStatus      number of CDKs per status
 * @param cdksByKeystore    number of CDKs with a wrapping by each keystore
 * @param runningSwitch     the unfinished switch, if any
 * @param lastSwitch        the most recent finished switch, if any
 * @param lastRefusal       why the last configuration change or switch was refused, if it was
 * @param cache             this process's CDK cache counters
 * @param registryUrl       the registry (password masked)
 * @param activeCdk         the ACTIVE CDK, its age and use against the rotation policy (or "none yet")
 */
public record StatusReport(CipherType cipherType, String activeKeystore, String configuredActive,
                           MasterKeyDescription activeMasterKey, List<String> keystores, Map<CdkStatus, Integer> cdksByStatus,
                           Map<String, Integer> cdksByKeystore, Optional<SwitchJob> runningSwitch,
                           Optional<SwitchJob> lastSwitch, Optional<String> lastRefusal, CacheStats cache,
                           String registryUrl, String activeCdk) {

    /** The lines the CLI prints. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("registry:         " + registryUrl);
        out.add("cipher type:      " + cipherType);
        out.add("active keystore:  " + activeKeystore + (activeKeystore.equals(configuredActive) ? ""
                : "   (the configuration asks for '" + configuredActive + "')"));
        out.add("master key:       " + activeMasterKey.summary());
        out.add("keystores:");
        keystores.forEach(k -> out.add("  " + k));
        out.add("active CDK:       " + activeCdk);
        out.add("CDKs by status:   " + cdksByStatus);
        out.add("CDKs by wrapping: " + cdksByKeystore);
        out.add("switch:           " + runningSwitch.map(j -> "IN PROGRESS " + j.summary())
                .orElse("none in progress" + lastSwitch.map(j -> "; last: " + j.summary() + " at " + j.updatedAt()).orElse("")));
        lastRefusal.ifPresent(r -> out.add("last refusal:     " + r));
        // cache counters are per node: the cluster section of 'dataenc status' shows each node's
        return out;
    }
}
