package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.lifecycle.CdkUsage;
import dev.dataenc.control.lifecycle.CdkUsageStore;
import dev.dataenc.registry.RegistryDatabase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link CdkReferenceEvidence} from the migration engine's reference scans. A CDK is proven unreferenced only
 * if
 * <ol>
 *   <li>at least one source was scanned;</li>
 *   <li>when its usage counters record property values, some source was found holding values under it (by
 *       the scan a migration takes when it is planned, or when it completes): the scans count only for
 *       sources that can hold that CDK's data, so an unrelated or empty table proves nothing;</li>
 *   <li>for every source ever migrated (and not forgotten), the latest completed scan started after the CDK
 *       went out of use and found no value under it.</li>
 * </ol>
 * For a CDK whose usage counters record BLOBs, {@link #whyBlobsMayRemain} adds: some source was found holding
 * BLOBs under it (a binary column or blob store whose scan, when planned or completed, counted BLOB-format
 * ciphertexts under it: only a source that could hold that CDK's BLOBs counts, so migrating an unrelated table of
 * property values proves nothing about BLOBs). Together with rule 3 this means the scans of every such source,
 * started after the CDK went out of use, found none left. BLOBs kept where no migration reaches still need an
 * operator's attestation ({@link dev.dataenc.control.lifecycle.BlobAttestations}).
 */
public final class ScanEvidence implements CdkReferenceEvidence {

    private final ReferenceScans scans;
    private final CdkUsageStore usage;

    /** Evidence from the scans recorded in the registry database. */
    public ScanEvidence(RegistryDatabase db) {
        this.scans = new ReferenceScans(Objects.requireNonNull(db, "db"));
        this.usage = new CdkUsageStore(db);
    }

    @Override
    public Optional<String> whyStillReferenced(CdkId id, Instant decryptOnlySince) {
        List<ReferenceScan> latest = scans.latestPerSource();
        if (latest.isEmpty()) {
            return CdkReferenceEvidence.noScansYet().whyStillReferenced(id, decryptOnlySince);
        }
        List<String> reasons = new ArrayList<>();
        long values = usage.all().getOrDefault(id, CdkUsage.NONE).propertyValues();
        Map<String, Long> holders = scans.holders(id);
        if (values > 0 && holders.isEmpty()) {
            reasons.add("its usage counters record " + values + " property value(s) encrypted under it, but no migrated"
                    + " source was ever found holding a value under it (only a source whose scan found its values counts;"
                    + " an unrelated or empty table proves nothing), so its data may be in a table never migrated: run"
                    + " 'dataenc migrate --table <table> --key <key> --column <column>:<context>' on every table the"
                    + " application encrypted while it was ACTIVE, then retry");
        }
        for (ReferenceScan scan : latest) {
            if (!scan.startedAt().isAfter(decryptOnlySince)) {
                reasons.add("the latest migration of '" + scan.source() + "' started at " + scan.startedAt()
                        + ", before the CDK went out of use (" + decryptOnlySince + "); run 'dataenc migrate' on it again"
                        + " (or, if that source was a mistake, 'dataenc migrate forget --table <table>')");
            } else if (scan.referencesTo(id) > 0) {
                reasons.add(scan.referencesTo(id) + " value(s) in '" + scan.source() + "' are still under it (written by"
                        + " a node that had not yet seen the new ACTIVE CDK, or unreadable with the column's context); run"
                        + " 'dataenc migrate' on it again and read its summary");
            }
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    @Override
    public Optional<String> whyBlobsMayRemain(CdkId id, Instant decryptOnlySince) {
        long blobs = usage.all().getOrDefault(id, CdkUsage.NONE).blobs();
        if (blobs > 0 && scans.blobHolders(id).isEmpty()) {
            return Optional.of("no migrated source was ever found holding a BLOB under it (only a binary column or"
                    + " blob store whose scan found its BLOBs counts), so its " + blobs + " BLOB(s) may be in a column"
                    + " never migrated: run 'dataenc migrate --table <table> --key <key> --column <column>:<context>' on"
                    + " every bytea/BLOB column the application wrote BLOBs to while it was ACTIVE, then retry");
        }
        return whyStillReferenced(id, decryptOnlySince);
    }
}
