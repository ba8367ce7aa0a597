package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.registry.RegistryDatabase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link CdkReferenceEvidence} from the migration engine's reference scans: a CDK is proven
 * unreferenced only if at least one record source was scanned and, for every record source ever
 * migrated, the latest completed scan started after the CDK went out of use and found no value
 * under it.
 */
public final class ScanEvidence implements CdkReferenceEvidence {

    private final ReferenceScans scans;

    /** Evidence from the scans recorded in the registry database. */
    public ScanEvidence(RegistryDatabase db) {
        this.scans = new ReferenceScans(Objects.requireNonNull(db, "db"));
    }

    @Override
    public Optional<String> whyStillReferenced(CdkId id, Instant decryptOnlySince) {
        List<ReferenceScan> latest = scans.latestPerSource();
        if (latest.isEmpty()) {
            return CdkReferenceEvidence.noScansYet().whyStillReferenced(id, decryptOnlySince);
        }
        List<String> reasons = new ArrayList<>();
        for (ReferenceScan scan : latest) {
            if (!scan.startedAt().isAfter(decryptOnlySince)) {
                reasons.add("the latest migration of '" + scan.source() + "' started at " + scan.startedAt()
                        + ", before the CDK went out of use (" + decryptOnlySince + "); run 'dataenc migrate' on it again");
            } else if (scan.referencesTo(id) > 0) {
                reasons.add(scan.referencesTo(id) + " value(s) in '" + scan.source() + "' are still under it (e.g. written"
                        + " by a node that had not yet seen the new ACTIVE CDK); run 'dataenc migrate' on it again");
            }
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }
}
