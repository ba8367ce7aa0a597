package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;
import java.util.Optional;

/**
 * What the record scans (of the migration engine) prove about a CDK: whether any record may still
 * reference it. Retirement ({@link CdkRetirement}) asks this before a DECRYPT_ONLY CDK may become
 * RETIRED.
 *
 * <p>The rule an implementation must apply: the CDK is proven unreferenced only if at least one
 * reference scan exists, and, for <em>every</em> record source, the latest completed scan
 * started after {@code decryptOnlySince} and found 0 references to the CDK. A scan that started
 * earlier may have missed records that nodes encrypted under the CDK while it was still in use; a
 * record source never scanned proves nothing.
 */
@FunctionalInterface
public interface CdkReferenceEvidence {

    /**
     * Why the CDK may still be referenced, or empty if the scans prove no record references it.
     *
     * @param id               the DECRYPT_ONLY CDK
     * @param decryptOnlySince the time after which no node encrypts under the CDK any more: when it stopped
     *                         being ACTIVE, plus the time the nodes' CDK caches take to notice; only scans that
     *                         started after it count
     * @return the reason it must stay DECRYPT_ONLY (for the admin), or empty when it may be retired
     */
    Optional<String> whyStillReferenced(CdkId id, Instant decryptOnlySince);

    /**
     * Why BLOBs under the CDK may still exist as far as the scans know, or empty if the scans of BLOB sources
     * prove them gone: some source was found holding BLOBs under it (only a source that could hold that CDK's
     * BLOBs counts), and {@link #whyStillReferenced} holds for every source. Asked only for a CDK whose usage
     * counters record BLOBs and that no operator attestation covers. By default no scan covers BLOBs.
     *
     * @param id               the DECRYPT_ONLY CDK
     * @param decryptOnlySince as for {@link #whyStillReferenced}
     */
    default Optional<String> whyBlobsMayRemain(CdkId id, Instant decryptOnlySince) {
        return Optional.of("no migration of a BLOB source (a binary column or blob store holding its BLOBs) is known"
                + " to this evidence");
    }

    /**
     * The evidence while no reference scan exists (the default until the migration engine supplies
     * its scans): nothing is ever proven, so no CDK is retired.
     */
    static CdkReferenceEvidence noScansYet() {
        return (id, since) -> Optional.of("no reference scan has run yet, so nothing proves that no record references"
                + " it; run a migration that re-encrypts every record source under the ACTIVE CDK ('dataenc migrate'),"
                + " then retry");
    }
}
