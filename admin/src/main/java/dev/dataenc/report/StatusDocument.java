package dev.dataenc.report;

import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.StatusReport;
import dev.dataenc.control.lifecycle.CdkRotationPolicy;
import dev.dataenc.control.lifecycle.RotationDue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dataenc status --json}: the registry's data-encryption state.
 *
 * @param schemaVersion            {@value ReportDocument#SCHEMA_VERSION}
 * @param command                  {@code "status"}
 * @param configFile               the configuration file read
 * @param registry                 the registry's JDBC URL (password masked)
 * @param cipherType               the active cipher type (registry)
 * @param activeKeystore           the active keystore (registry)
 * @param configuredActiveKeystore the active keystore the configuration file asks for
 * @param keystores                every configured keystore and its master key state
 * @param activeCdk                the ACTIVE CDK against the rotation policy, or null if there is none yet
 * @param cdksByStatus             CDKs per status, every status present
 * @param cdksByKeystore           CDKs with a wrapping by each keystore
 * @param runningSwitch            the unfinished keystore switch, or null
 * @param lastSwitch               the most recent completed switch, or null
 * @param lastRefusal              why the last configuration change or switch was refused, or null
 * @param cache                    this process's CDK cache counters
 * @param migrations               per record source, its running and last completed data migration
 */
public record StatusDocument(int schemaVersion, String command, String configFile, String registry, String cipherType,
                             String activeKeystore, String configuredActiveKeystore, List<KeystoreInfo> keystores,
                             ActiveCdkInfo activeCdk, Map<String, Integer> cdksByStatus,
                             Map<String, Integer> cdksByKeystore, SwitchJobInfo runningSwitch, SwitchJobInfo lastSwitch,
                             String lastRefusal, CacheInfo cache, List<MigrationSourceInfo> migrations)
        implements ReportDocument {

    public StatusDocument {
        keystores = List.copyOf(keystores);
        migrations = List.copyOf(migrations);
    }

    /** The status of {@code plane}, read from {@code configFile}. */
    public static StatusDocument of(ControlPlane plane, String configFile) {
        StatusReport r = plane.status();
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (CdkStatus s : CdkStatus.values()) {
            byStatus.put(s.name(), r.cdksByStatus().getOrDefault(s, 0));
        }
        List<KeystoreInfo> keystores = plane.keystores().settings().keySet().stream()
                .map(name -> KeystoreInfo.of(plane.keystores(), name, r.activeKeystore())).toList();
        return new StatusDocument(SCHEMA_VERSION, "status", configFile, r.registryUrl(), r.cipherType().configValue(),
                r.activeKeystore(), r.configuredActive(), keystores, activeCdk(plane).orElse(null), byStatus,
                new LinkedHashMap<>(r.cdksByKeystore()), SwitchJobInfo.of(r.runningSwitch().orElse(null)),
                SwitchJobInfo.of(r.lastSwitch().orElse(null)), r.lastRefusal().orElse(null), CacheInfo.of(r.cache()),
                MigrationSourceInfo.all(plane));
    }

    private static Optional<ActiveCdkInfo> activeCdk(ControlPlane plane) {
        return plane.registry().findActive().map(cdk -> {
            CdkRotationPolicy policy = plane.rotationPolicy();
            long used = plane.usage().total(cdk.id());
            Optional<RotationDue> due = policy.due(cdk, used);
            return new ActiveCdkInfo(cdk.id().toString(), Times.of(cdk.createdAt()), policy.age(cdk).toDays(), used,
                    policy.policy().maxAge().toDays(), policy.policy().maxMessages(), due.isPresent(),
                    due.map(RotationDue::reason).orElse(null));
        });
    }
}
