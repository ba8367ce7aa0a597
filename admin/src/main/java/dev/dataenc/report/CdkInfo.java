package dev.dataenc.report;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.lifecycle.CdkUsage;

import java.time.Instant;
import java.util.List;

/**
 * A CDK as the registry knows it: status, times, wrappings (keystore and master key, never key
 * bytes) and recorded usage.
 *
 * @param id               the CDK id
 * @param status           {@code ACTIVE}, {@code DECRYPT_ONLY}, {@code RETIRED} or {@code DESTROYED}
 * @param createdAt        when it was generated
 * @param decryptOnlySince when it stopped being ACTIVE, or null
 * @param retiredAt        when it was retired (from the audit trail), or null
 * @param destroyedAt      when its wrappings were destroyed, or null
 * @param statusChangedAt  when it reached its current status ({@code createdAt} for ACTIVE; null if not known)
 * @param wrappings        its wrappings, one per keystore/master key; empty only when DESTROYED
 * @param usage            encryptions recorded under it
 */
public record CdkInfo(String id, String status, String createdAt, String decryptOnlySince, String retiredAt,
                      String destroyedAt, String statusChangedAt, List<WrappingInfo> wrappings, UsageInfo usage) {

    public CdkInfo {
        wrappings = List.copyOf(wrappings);
    }

    /**
     * The JSON view of {@code cdk}.
     *
     * @param usage     its recorded usage, or null for none
     * @param retiredAt when it became RETIRED (the audit trail's {@code CDK_RETIRED} event), or null
     */
    public static CdkInfo of(Cdk cdk, CdkUsage usage, Instant retiredAt) {
        Instant changed = switch (cdk.status()) {
            case ACTIVE -> cdk.createdAt();
            case DECRYPT_ONLY -> cdk.decryptOnlySince();
            case RETIRED, DESTRUCTION_SCHEDULED -> retiredAt; // scheduling keeps the CDK retired, waiting
            case DESTROYED -> cdk.destroyedAt();
        };
        return new CdkInfo(cdk.id().toString(), cdk.status().name(), Times.of(cdk.createdAt()),
                Times.of(cdk.decryptOnlySince()), Times.of(retiredAt), Times.of(cdk.destroyedAt()), Times.of(changed),
                cdk.wrappings().stream().map(WrappingInfo::of).toList(), UsageInfo.of(usage));
    }
}
