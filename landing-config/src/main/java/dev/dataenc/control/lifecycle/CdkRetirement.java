package dev.dataenc.control.lifecycle;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Moves DECRYPT_ONLY CDKs to RETIRED when the {@link CdkReferenceEvidence} proves no record
 * references them. The ACTIVE CDK is never retired. A CDK counts as out of use from when it
 * stopped being ACTIVE ({@link Cdk#decryptOnlySince()}) plus {@code settle}: the time other
 * nodes may keep encrypting under it until their CDK cache re-reads the ACTIVE id; only scans that
 * started after that count. A CDK whose usage counters record BLOBs is kept unless the scans of migrated
 * BLOB sources prove them gone ({@link CdkReferenceEvidence#whyBlobsMayRemain}; the retirement then records
 * that evidence with {@link BlobAttestations}), or an operator attested that none is left. Each retirement is a
 * compare-and-set (DECRYPT_ONLY to RETIRED) and is audited as {@link AuditAction#CDK_RETIRED}.
 */
public final class CdkRetirement {

    private final JdbcCdkRegistry registry;
    private final JdbcAuditTrail audit;
    private final CdkReferenceEvidence evidence;
    private final Duration settle;
    private final BlobAttestations blobs;
    private final CrashPoint steps;

    /**
     * @param settle how long after a CDK stopped being ACTIVE a node may still encrypt under it (at least the
     *               CDK cache's active-refresh interval)
     * @param blobs  the BLOB usage and the operators' attestations about it
     */
    public CdkRetirement(JdbcCdkRegistry registry, JdbcAuditTrail audit, CdkReferenceEvidence evidence, Duration settle,
                         BlobAttestations blobs) {
        this(registry, audit, evidence, settle, blobs, CrashPoint.NONE);
    }

    /**
     * As {@link #CdkRetirement(JdbcCdkRegistry, JdbcAuditTrail, CdkReferenceEvidence, Duration, BlobAttestations)},
     * with a step hook called after each retirement ({@code cdk-retired}) has been committed with its audit entry.
     */
    public CdkRetirement(JdbcCdkRegistry registry, JdbcAuditTrail audit, CdkReferenceEvidence evidence, Duration settle,
                         BlobAttestations blobs, CrashPoint steps) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.settle = Objects.requireNonNull(settle, "settle");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.steps = steps == null ? CrashPoint.NONE : steps;
    }

    /** Why {@code cdk} must stay (not DECRYPT_ONLY, or not proven unreferenced), or empty if it may be retired. */
    public Optional<String> whyNot(Cdk cdk) {
        if (cdk.status() == CdkStatus.ACTIVE) {
            return Optional.of("it is the ACTIVE CDK, used for all new encryption; rotate first ('dataenc rotate-cdk'),"
                    + " migrate the records, then retire it");
        }
        if (cdk.status() != CdkStatus.DECRYPT_ONLY) {
            return Optional.of("it is " + cdk.status() + "; only a DECRYPT_ONLY CDK can be retired");
        }
        if (cdk.decryptOnlySince() == null) {
            return Optional.of("the registry has no record of when it stopped being ACTIVE, so no scan can be shown"
                    + " to have started after that");
        }
        Optional<String> blobUse = blobs.whyBlobsBlock(cdk.id());
        if (blobUse.isPresent()) {
            Optional<String> scans = evidence.whyBlobsMayRemain(cdk.id(), outOfUseSince(cdk));
            if (scans.isPresent()) {
                return Optional.of(blobUse.get() + ". The scans do not prove them gone: " + scans.get());
            }
        }
        return evidence.whyStillReferenced(cdk.id(), outOfUseSince(cdk));
    }

    /** The instant after which no node encrypts under this DECRYPT_ONLY CDK any more. */
    public Instant outOfUseSince(Cdk cdk) {
        return cdk.decryptOnlySince().plus(settle);
    }

    /**
     * Retires one CDK.
     *
     * @return the RETIRED CDK
     * @throws CdkLifecycleRefusedException if it is not DECRYPT_ONLY or not proven unreferenced (nothing changes)
     * @throws UnknownCdkException if the registry does not know it
     */
    public Cdk retire(CdkId id) {
        Cdk cdk = registry.find(id).orElseThrow(() -> new UnknownCdkException(id, "CDK " + id + " is not in the registry"));
        Optional<String> why = whyNot(cdk);
        if (why.isPresent()) {
            throw new CdkLifecycleRefusedException(id, "CDK " + id + " cannot be retired: " + why.get());
        }
        boolean blobsByScans = blobs.whyBlobsBlock(id).isPresent(); // whyNot passed: the BLOB scans prove them gone
        try {
            registry.inTransaction("retire CDK " + id, c -> {
                registry.updateStatus(c, id, CdkStatus.DECRYPT_ONLY, CdkStatus.RETIRED);
                if (blobsByScans) {
                    long covered = blobs.recordScanEvidence(c, id, "dataenc retire-cdks (reference scans)");
                    audit.record(c, AuditAction.CDK_ATTESTED, id, null, "reference scans of the migrated BLOB sources,"
                            + " started after " + outOfUseSince(cdk) + ", found none of the " + covered + " BLOB(s)"
                            + " recorded under it");
                }
                audit.record(c, AuditAction.CDK_RETIRED, id, null, "DECRYPT_ONLY -> RETIRED: reference scans started"
                        + " after " + outOfUseSince(cdk) + " found no record referencing it");
                return null;
            });
        } catch (RegistryConflictException e) {
            throw new CdkLifecycleRefusedException(id, "CDK " + id + " cannot be retired: it changed meanwhile ("
                    + e.getMessage() + "); check 'dataenc status' and retry");
        }
        steps.reached("cdk-retired");
        return registry.find(id).orElseThrow();
    }

    /** Retires every DECRYPT_ONLY CDK the evidence allows; with {@code dryRun}, only says which. */
    public RetirementResult retireAll(boolean dryRun) {
        List<CdkId> retired = new ArrayList<>();
        Map<CdkId, String> kept = new LinkedHashMap<>();
        for (Cdk cdk : registry.list()) {
            if (cdk.status() != CdkStatus.DECRYPT_ONLY) {
                continue;
            }
            Optional<String> why = whyNot(cdk);
            if (why.isPresent()) {
                kept.put(cdk.id(), why.get());
            } else if (dryRun) {
                retired.add(cdk.id());
            } else {
                try {
                    retire(cdk.id());
                    retired.add(cdk.id());
                } catch (CdkLifecycleRefusedException e) {
                    kept.put(cdk.id(), e.getMessage());
                }
            }
        }
        return new RetirementResult(retired, kept, dryRun);
    }
}
