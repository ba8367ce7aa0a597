package dev.dataenc.report;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.CdkUsage;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry's CDKs as {@link CdkInfo}s: registry rows, recorded usage and retirement times from the audit trail. */
public final class CdkCatalog {

    private final Map<CdkId, CdkUsage> usage;
    private final Map<CdkId, Instant> retiredAt = new HashMap<>();

    private CdkCatalog(ControlPlane plane) {
        this.usage = plane.usage().all();
        for (AuditEvent e : plane.audit().byAction(AuditAction.CDK_RETIRED)) {
            if (e.cdkId() != null) {
                retiredAt.put(e.cdkId(), e.at()); // oldest first: the last one wins
            }
        }
    }

    /** Every CDK of {@code plane}'s registry, oldest first. */
    public static List<CdkInfo> all(ControlPlane plane) {
        CdkCatalog catalog = new CdkCatalog(plane);
        return plane.registry().list().stream().map(catalog::info).toList();
    }

    /** One CDK of {@code plane}'s registry, if it knows it. */
    public static Optional<CdkInfo> find(ControlPlane plane, CdkId id) {
        return plane.registry().find(id).map(new CdkCatalog(plane)::info);
    }

    private CdkInfo info(Cdk cdk) {
        return CdkInfo.of(cdk, usage.get(cdk.id()), retiredAt.get(cdk.id()));
    }
}
