package dev.dataenc.control.lifecycle;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence that no BLOB under a CDK is left (table {@code dataenc_cdk_attestation}, kind
 * {@code NO_BLOBS}). A CDK whose usage counters record BLOBs is retired (and destroyed) only when the
 * reference scans of migrated BLOB sources prove its BLOBs gone (recorded here by {@link CdkRetirement}
 * when it retires the CDK), or on an operator's attestation (for BLOBs kept where no migration reaches):
 * explicit, with a reason, recorded in the registry and the audit trail in one transaction. Either covers
 * the BLOB count of the moment it was made; a BLOB encrypted under the CDK later (a node that had not yet
 * seen the rotation) voids it.
 */
public final class BlobAttestations {

    private static final String KIND = "NO_BLOBS";

    private final RegistryDatabase db;
    private final CdkUsageStore usage;
    private final Clock clock;

    public BlobAttestations(RegistryDatabase db, CdkUsageStore usage, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records that no BLOB encrypted under {@code cdk} is left (they were deleted, or re-encrypted outside dataenc).
     *
     * @param reason what the operator knows (required: it is the evidence)
     * @param actor  who attests, for the audit trail
     * @return the BLOB count the attestation covers
     * @throws CdkLifecycleRefusedException if the reason is blank, or the CDK is not DECRYPT_ONLY or RETIRED
     *                                      (nothing changes)
     */
    public long attestNoBlobs(Cdk cdk, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new CdkLifecycleRefusedException(cdk.id(), "an attestation needs a reason (--reason \"...\"): say how"
                    + " you know no BLOB under CDK " + cdk.id() + " is left; it is kept in the audit trail");
        }
        if (cdk.status() != CdkStatus.DECRYPT_ONLY && cdk.status() != CdkStatus.RETIRED) {
            throw new CdkLifecycleRefusedException(cdk.id(), "CDK " + cdk.id() + " is " + cdk.status() + "; only a"
                    + " DECRYPT_ONLY or RETIRED CDK can be attested to hold no BLOB"
                    + (cdk.status() == CdkStatus.ACTIVE ? " (the ACTIVE CDK still encrypts new BLOBs)" : ""));
        }
        long blobs = usage.all().getOrDefault(cdk.id(), CdkUsage.NONE).blobs();
        String text = reason.strip();
        db.write("record an attestation for CDK " + cdk.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM dataenc_cdk_attestation WHERE cdk_id = ? AND kind = ?")) {
                s.setString(1, cdk.id().toString());
                s.setString(2, KIND);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_cdk_attestation (cdk_id, kind, covered_count,"
                    + " reason, attested_by, attested_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, cdk.id().toString());
                s.setString(2, KIND);
                s.setLong(3, blobs);
                s.setString(4, text.length() > 2000 ? text.substring(0, 2000) : text);
                s.setString(5, actor);
                s.setObject(6, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                s.executeUpdate();
            }
            JdbcAuditTrail.insert(c, actor, AuditAction.CDK_ATTESTED, cdk.id(), null, "operator attests that none of the "
                    + blobs + " BLOB(s) recorded under it is left; reason: " + text);
            return null;
        });
        return blobs;
    }

    /**
     * Why {@code id} must not be retired or destroyed because of BLOBs, or empty when its usage counters record
     * none, or an attestation covers all it records.
     */
    public Optional<String> whyBlobsBlock(CdkId id) {
        long blobs = usage.all().getOrDefault(id, CdkUsage.NONE).blobs();
        if (blobs == 0) {
            return Optional.empty();
        }
        long covered = covered(id);
        if (covered >= blobs) {
            return Optional.empty();
        }
        return Optional.of("its usage counters record " + blobs + " BLOB(s) encrypted under it" + (covered >= 0
                ? " (an attestation covers only " + covered + ")" : "") + ". Migrate every binary column holding its"
                + " BLOBs ('dataenc migrate --column <column>:<context>' on the bytea/BLOB column) so that their scans"
                + " prove them gone; or, if you know every such BLOB was deleted, record that evidence: dataenc"
                + " retire-cdks --attest-no-blobs " + id + " --reason \"<how you know>\" (kept in the registry and the"
                + " audit trail)");
    }

    /**
     * Records, in the caller's transaction, that the reference scans of BLOB sources proved the BLOBs under
     * {@code id} gone: a {@code NO_BLOBS} row covering the BLOB count now, so that destruction accepts it as it
     * accepts an operator's attestation.
     *
     * @return the BLOB count covered
     */
    long recordScanEvidence(java.sql.Connection c, CdkId id, String actor) throws java.sql.SQLException {
        long blobs = usage.all().getOrDefault(id, CdkUsage.NONE).blobs();
        try (PreparedStatement s = c.prepareStatement("DELETE FROM dataenc_cdk_attestation WHERE cdk_id = ? AND kind = ?")) {
            s.setString(1, id.toString());
            s.setString(2, KIND);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_cdk_attestation (cdk_id, kind, covered_count,"
                + " reason, attested_by, attested_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id.toString());
            s.setString(2, KIND);
            s.setLong(3, blobs);
            s.setString(4, "reference scans of the migrated BLOB sources, completed after it went out of use, found no"
                    + " BLOB under it");
            s.setString(5, actor);
            s.setObject(6, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            s.executeUpdate();
        }
        return blobs;
    }

    private long covered(CdkId id) {
        return db.read("read the attestations of CDK " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT covered_count FROM dataenc_cdk_attestation"
                    + " WHERE cdk_id = ? AND kind = ?")) {
                s.setString(1, id.toString());
                s.setString(2, KIND);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
    }

    @Override
    public String toString() {
        return "BlobAttestations[" + db.displayUrl() + "]";
    }
}
