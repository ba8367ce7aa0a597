package dev.dataenc.control.lifecycle;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkCheckValue;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.CdkUnwrapper;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Records a key check value for CDKs created before check values existed (legacy CDKs), so that every
 * later unwrap of them is verified. A value is established only when every wrapping of the CDK that an
 * available keystore can unwrap gives the same key (a single bogus wrapping cannot choose it), and is
 * stored with its audit entry in one transaction; a stored value is never changed.
 */
public final class CheckValueBackfill {

    /**
     * What a backfill did or would do.
     *
     * @param recorded CDKs that got (or, in a dry run, would get) a check value
     * @param failed   CDKs without a value that could not be established, each with the reason
     */
    public record Result(List<CdkId> recorded, List<String> failed) {

        public Result {
            recorded = List.copyOf(recorded);
            failed = List.copyOf(failed);
        }
    }

    private final JdbcCdkRegistry registry;
    private final JdbcAuditTrail audit;
    private final Collection<Keystore> keystores;

    public CheckValueBackfill(JdbcCdkRegistry registry, JdbcAuditTrail audit, Collection<Keystore> keystores) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.keystores = List.copyOf(keystores);
    }

    /** Establishes and records the check value of every data-protecting CDK that has none. */
    public Result run(boolean dryRun) {
        List<CdkId> recorded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        CdkUnwrapper unwrapper = new CdkUnwrapper(keystores);
        for (Cdk cdk : registry.list()) {
            if (cdk.checkValue() != null || !cdk.status().protectsData()) {
                continue;
            }
            CdkCheckValue value;
            try {
                value = unwrapper.establishCheckValue(cdk);
            } catch (RuntimeException e) {
                failed.add(cdk.id() + " (" + cdk.status() + "): " + e.getMessage());
                continue;
            }
            if (!dryRun) {
                registry.inTransaction("record the check value of CDK " + cdk.id(), c -> {
                    if (registry.recordCheckValue(c, cdk.id(), value)) {
                        audit.append(c, AuditAction.CDK_CHECK_VALUE_RECORDED, cdk.id(), null, "key check value recorded"
                                + " for a CDK created before check values existed; every wrapping available agreed");
                    }
                    return null;
                });
            }
            recorded.add(cdk.id());
        }
        return new Result(recorded, failed);
    }
}
