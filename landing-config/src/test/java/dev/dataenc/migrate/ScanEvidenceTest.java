package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.ControlPlane;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retirement evidence from real migration scans: what a completed migration proves, and what it does not. */
class ScanEvidenceTest {

    @TempDir
    Path dir;

    @Test
    void noMigrationYet_provesNothing() throws Exception {
        MigrationFixture.Databases dbs = MigrationFixture.h2(dir);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            CdkId any = plane.registry().findActive().orElseThrow().id();
            assertTrue(new ScanEvidence(plane.database()).whyStillReferenced(any, Instant.EPOCH).orElseThrow()
                    .contains("no reference scan"));
        }
    }

    @Test
    void completedMigration_provesOldCdksUnreferenced_onlyForScansAfterTheyWentOutOfUse() throws Exception {
        MigrationFixture.Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            // what a lagging node would write later: a value under the CDK that is ACTIVE now and old after fill()
            String staleValue = plane.propertyCipher().encryptString("late@example.com", "customer.email");
            MigrationFixture.fill(plane, dbs, 60, 2, 1000);
            List<Cdk> old = plane.registry().list().stream().filter(c -> c.status() == CdkStatus.DECRYPT_ONLY).toList();
            Instant beforeMigration = Instant.now().minusSeconds(1);
            new Migration(plane).run(MigrationRequest.of(source));
            ScanEvidence evidence = new ScanEvidence(plane.database());

            for (Cdk cdk : old) {
                assertEquals(java.util.Optional.empty(), evidence.whyStillReferenced(cdk.id(), beforeMigration),
                        "migrated and scanned after it went out of use: " + cdk.id());
                String tooEarly = evidence.whyStillReferenced(cdk.id(), Instant.now().plusSeconds(60)).orElseThrow();
                assertTrue(tooEarly.contains("started at") && tooEarly.contains("before the CDK went out of use"), tooEarly);
            }

            // a node that had not seen the new ACTIVE CDK wrote under an old one after the scan: proven again only by a new run
            CdkId stale = MigrationFixture.cdkOf(staleValue);
            assertTrue(old.stream().anyMatch(c -> c.id().equals(stale)));
            try (Connection c = dbs.host(); PreparedStatement s = c.prepareStatement("UPDATE customer SET email = ? WHERE id = 1")) {
                s.setString(1, staleValue);
                s.executeUpdate();
            }
            new Migration(plane).run(MigrationRequest.of(source));
            assertEquals(java.util.Optional.empty(), new ScanEvidence(plane.database()).whyStillReferenced(stale, beforeMigration));
            assertTrue(MigrationFixture.stored(dbs).get(1)[0] != null
                    && !MigrationFixture.cdkOf(MigrationFixture.stored(dbs).get(1)[0]).equals(stale),
                    "the second run migrated the late write");
        }
    }
}
