package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A column of deterministic (searchable) values is migrated deterministically: it stays searchable under the new CDK. */
class DeterministicMigrationTest {

    @TempDir
    Path dir;

    @Test
    void deterministicValuesUnderOldCdk_migrateToDeterministicUnderActive_evenInEncryptPlaintextMode() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            DeterministicCipher det = plane.deterministicCipher();
            CdkId old = plane.registry().findActive().orElseThrow().id();
            try (Connection c = dbs.host();
                 PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, email, phone) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 6; i++) {
                    s.setInt(1, i);
                    s.setString(2, det.encryptString("user" + i + "@example.com", "customer.email"));
                    s.setString(3, plane.propertyCipher().encryptString("+41 79 " + i, "Customer.phone"));
                    s.executeUpdate();
                }
            }
            plane.rotateCdk("test");
            CdkId active = plane.registry().findActive().orElseThrow().id();
            assertNotEquals(old, active);

            MigrationRequest request = MigrationRequest.of(source).withMode(MigrationMode.ENCRYPT_PLAINTEXT);
            assertEquals(Map.of(old, 12L), migration(plane).plan(request).valuesPerCdk(), "deterministic values are counted"
                    + " under their CDK, not as plaintext");
            MigrationResult r = migration(plane).run(request);
            assertEquals(new ValueCounts(6, 12, 0, 0, 0, 0, 0, 0), r.job().counts());

            Map<Integer, String[]> after = MigrationFixture.stored(dbs);
            for (int i = 0; i < 6; i++) {
                String email = after.get(i)[0];
                assertTrue(DeterministicCipher.isEncrypted(email), "still deterministic: " + email);
                assertEquals(active, DeterministicCipher.cdkIdOf(email));
                assertEquals(det.encryptString("user" + i + "@example.com", "customer.email"), email,
                        "the same ciphertext the application now writes, so equality lookups find it");
                assertTrue(PropertyCipher.isEncrypted(after.get(i)[1]), "the randomised column stays randomised");
                assertEquals(active, PropertyCipher.cdkIdOf(after.get(i)[1]));
            }
            assertEquals(0, r.references().orElseThrow().referencesTo(old));
        }
    }

    private static Migration migration(ControlPlane plane) {
        return new Migration(plane);
    }
}
