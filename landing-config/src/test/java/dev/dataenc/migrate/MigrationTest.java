package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOwner;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.migrate.MigrationFixture.Databases;
import dev.dataenc.testing.FakeKeystore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The migration engine on real H2 files and a real PostgreSQL, with real local keystores. */
class MigrationTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void valuesUnderThreeOldCdks_dryRunCountsThenMigrationMovesAllToActive(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            Map<Integer, String[]> originals = MigrationFixture.fill(plane, dbs, 90, 3, 7);
            CdkId active = plane.registry().findActive().orElseThrow().id();
            Map<Integer, String[]> before = MigrationFixture.stored(dbs);
            Map<CdkId, Long> expected = new HashMap<>();
            long nulls = 0;
            for (String[] row : before.values()) {
                for (String v : row) {
                    if (v == null) {
                        nulls++;
                    } else {
                        expected.merge(MigrationFixture.cdkOf(v), 1L, Long::sum);
                    }
                }
            }
            assertEquals(3, expected.size(), "values under three old CDKs");
            assertFalse(expected.containsKey(active));

            Migration migration = new Migration(plane);
            MigrationRequest request = MigrationRequest.of(source).withBatchSize(25).withWriteChunk(10);
            MigrationPlan plan = migration.plan(request);
            assertEquals(expected, plan.valuesPerCdk());
            assertEquals(nulls, plan.scan().nulls());
            assertEquals(90, plan.scan().records());
            assertEquals(180 - nulls, plan.toWrite());
            assertEquals(4, plan.batches());
            assertEquals(active, plan.target());
            assertTrue(plan.unfinished().isEmpty());
            assertTableEquals(before, MigrationFixture.stored(dbs), "the dry run wrote nothing");
            assertTrue(migration.store().history(10).isEmpty(), "the dry run recorded no job");

            MigrationResult result = migration.run(request);

            assertTrue(result.completedHere());
            assertFalse(result.resumed());
            MigrationJob job = result.job();
            assertEquals(MigrationStatus.COMPLETED, job.status());
            assertEquals(active, job.target());
            assertEquals(4, job.batchesTotal());
            assertEquals(new ValueCounts(90, 180 - nulls, 0, nulls, 0, 0, 0, 0), job.counts());
            assertEquals(job.counts(), result.byThisNode());
            assertEquals(List.of(0, 1, 2, 3), result.batchesDone());
            assertDecryptsToOriginalsUnder(plane, originals, MigrationFixture.stored(dbs), active);

            List<ReferenceScan> scans = new ReferenceScans(plane.database()).latestPerSource();
            assertEquals(1, scans.size());
            ReferenceScan scan = scans.get(0);
            assertEquals(source.name(), scan.source());
            assertEquals(active, scan.target());
            for (CdkId old : expected.keySet()) {
                assertEquals(0, scan.referencesTo(old), "no value references old CDK " + old);
            }
            assertEquals(180 - nulls, scan.referencesTo(active));
            assertEquals(0, scan.plaintextValues());
            assertEquals(result.references().orElseThrow(), scan);
            assertFalse(scan.startedAt().isAfter(scan.completedAt()));
            assertEquals(1, plane.audit().byAction(AuditAction.MIGRATION_STARTED).size());
            assertEquals(1, plane.audit().byAction(AuditAction.MIGRATION_COMPLETED).size());

            MigrationResult again = migration.run(request);
            assertEquals(new ValueCounts(90, 0, 180 - nulls, nulls, 0, 0, 0, 0), again.job().counts(),
                    "a second run finds everything on the target and writes nothing");
            assertEquals(2, migration.store().history(10).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void varcharAndUuidKeys_migrateInBatchesCoveringEveryKey(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             Connection c = dbs.host(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE by_name (name VARCHAR(40) PRIMARY KEY, secret VARCHAR(400))");
            s.execute("CREATE TABLE by_uuid (id UUID PRIMARY KEY, secret VARCHAR(400))");
            Map<String, String> plain = new HashMap<>();
            try (PreparedStatement n = c.prepareStatement("INSERT INTO by_name VALUES (?, ?)");
                 PreparedStatement u = c.prepareStatement("INSERT INTO by_uuid VALUES (?, ?)")) {
                for (int i = 0; i < 47; i++) {
                    String name = "name-" + (char) ('a' + i % 26) + i;
                    n.setString(1, name);
                    n.setString(2, plane.propertyCipher().encryptString("v" + i, "by_name.secret"));
                    n.executeUpdate();
                    UUID id = UUID.randomUUID();
                    u.setObject(1, id);
                    u.setString(2, plane.propertyCipher().encryptString("u" + i, "by_uuid.secret"));
                    u.executeUpdate();
                    plain.put(name, "v" + i);
                    plain.put(id.toString(), "u" + i);
                }
            }
            plane.rotateCdk("test");
            CdkId active = plane.registry().findActive().orElseThrow().id();
            Migration migration = new Migration(plane);
            for (String table : List.of("by_name", "by_uuid")) {
                try (JdbcRecordSource source = dbs.source().table(table).key(table.equals("by_name") ? "name" : "id")
                        .column("secret:" + table + ".secret").build()) {
                    MigrationResult r = migration.run(MigrationRequest.of(source).withBatchSize(10));
                    assertEquals(5, r.job().batchesTotal());
                    assertEquals(47, r.job().counts().records());
                    assertEquals(47, r.job().counts().migrated());
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                        while (rs.next()) {
                            String v = rs.getString(2);
                            assertEquals(active, PropertyCipher.cdkIdOf(v));
                            assertEquals(plain.get(rs.getObject(1).toString()),
                                    plane.propertyCipher().decryptString(v, table + ".secret"));
                        }
                    }
                }
            }
        }
    }

    @Test
    void plaintextColumn_untouchedWithoutMode_encryptedWithEncryptPlaintextMode() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             Connection c = dbs.host();
             PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, email) VALUES (?, ?)")) {
            for (int i = 0; i < 30; i++) {
                s.setInt(1, i);
                s.setString(2, i % 10 == 0 ? null : "plain" + i + "@example.com");
                s.executeUpdate();
            }
            Map<Integer, String[]> before = MigrationFixture.stored(dbs);
            Migration migration = new Migration(plane);
            try (JdbcRecordSource source = dbs.source().table("customer").key("id").column("email:Customer.email").build()) {
                MigrationResult plain = migration.run(MigrationRequest.of(source).withBatchSize(8));
                assertEquals(new ValueCounts(30, 0, 0, 3, 27, 0, 0, 0), plain.job().counts(),
                        "plaintext is counted as not encrypted");
                assertEquals(27, plain.references().orElseThrow().plaintextValues());
                assertTableEquals(before, MigrationFixture.stored(dbs), "plaintext was not touched");

                MigrationRequest encrypt = MigrationRequest.of(source).withBatchSize(8)
                        .withMode(MigrationMode.ENCRYPT_PLAINTEXT);
                assertEquals(27, migration.plan(encrypt).toWrite());
                MigrationResult encrypted = migration.run(encrypt);
                assertEquals(new ValueCounts(30, 0, 0, 3, 0, 27, 0, 0), encrypted.job().counts());
                assertEquals(0, encrypted.references().orElseThrow().plaintextValues());
                CdkId active = plane.registry().findActive().orElseThrow().id();
                assertEquals(27, encrypted.references().orElseThrow().referencesTo(active));
                Map<Integer, String[]> after = MigrationFixture.stored(dbs);
                for (int i = 0; i < 30; i++) {
                    String v = after.get(i)[0];
                    if (i % 10 == 0) {
                        assertNull(v);
                    } else {
                        assertTrue(PropertyCipher.isEncrypted(v));
                        assertEquals(active, PropertyCipher.cdkIdOf(v));
                        assertEquals("plain" + i + "@example.com", plane.propertyCipher().decryptString(v, "Customer.email"));
                    }
                }
            }
        }
    }

    @Test
    void unknownTableOrColumn_typedErrorNamingWhatExists() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (Connection c = dbs.host(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (ref VARCHAR(20), total INT, blob_col VARBINARY(100))");
        }
        RecordSourceException table = assertThrows(RecordSourceException.class,
                () -> dbs.source().table("custmer").key("id").column("email:ctx.email").build());
        assertTrue(table.getMessage().contains("'custmer' not found"), table.getMessage());
        assertTrue(table.getMessage().contains("did you mean CUSTOMER"), table.getMessage());
        assertTrue(table.getMessage().contains("ORDERS"), table.getMessage());

        RecordSourceException column = assertThrows(RecordSourceException.class,
                () -> dbs.source().table("customer").key("id").column("emial:ctx.emial").build());
        assertTrue(column.getMessage().contains("column 'emial' not found in table PUBLIC.CUSTOMER"), column.getMessage());
        assertTrue(column.getMessage().contains("EMAIL (CHARACTER VARYING)"), column.getMessage());
        assertTrue(column.getMessage().contains("PHONE"), column.getMessage());

        RecordSourceException key = assertThrows(RecordSourceException.class,
                () -> dbs.source().table("customer").key("idd").column("email:ctx.email").build());
        assertTrue(key.getMessage().startsWith("key column 'idd' not found"), key.getMessage());

        RecordSourceException notUnique = assertThrows(RecordSourceException.class,
                () -> dbs.source().table("orders").key("total").column("ref:ctx.ref").build());
        assertTrue(notUnique.getMessage().contains("may be NULL") || notUnique.getMessage().contains("not unique"),
                notUnique.getMessage());

        RecordSourceException binary = assertThrows(RecordSourceException.class,
                () -> dbs.source().table("customer").key("id").column("email:ctx.email").column("id:ctx.id").build());
        assertTrue(binary.getMessage().contains("only text columns"), binary.getMessage());
    }

    @Test
    void manyValuesUnderFewCdks_keystoreCallsBoundedByCdks() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        KeystoreSettings fake = KeystoreSettings.of("x", "fake", Map.of());
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), fake),
                MigrationFixture.options("test"));
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            FakeKeystore keystore = (FakeKeystore) plane.keystores().get("x").orElseThrow();
            MigrationFixture.fill(plane, dbs, 1500, 3, 1000);
            int cdks = plane.registry().list().size();
            assertEquals(4, cdks);
            int before = keystore.calls();
            MigrationResult r = new Migration(plane).run(MigrationRequest.of(source).withBatchSize(200));
            assertEquals(3000 - 3, r.job().counts().migrated());
            int during = keystore.calls() - before;
            assertTrue(during <= cdks, "keystore calls during the migration of ~3000 values: " + during
                    + " (must be at most one per CDK)");
            assertTrue(keystore.calls() <= 3 * cdks, "all keystore calls: " + keystore.calls());
        }
    }

    @Test
    void batchClaimedByDeadProcess_isTakenOverAtOnce() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            Map<Integer, String[]> originals = MigrationFixture.fill(plane, dbs, 40, 2, 1000);
            CdkId active = plane.registry().findActive().orElseThrow().id();
            MigrationStore store = new MigrationStore(plane.database());
            MigrationJob job = store.create(source.name(), active, MigrationMode.REENCRYPT, 10, source.boundaries(10), 40,
                    "test");
            String dead = dev.dataenc.audit.Actor.hostName() + ":" + deadPid() + ":deadbeef";
            assertTrue(SwitchOwner.isGone(dead));
            MigrationBatch held = store.claim(job, dead, Duration.ofHours(1)).orElseThrow();
            assertEquals(0, held.batchNo());

            MigrationResult r = new Migration(plane).run(MigrationRequest.of(source));
            assertTrue(r.resumed());
            assertTrue(r.completedHere());
            assertEquals(List.of(1, 2, 3, 0), r.batchesDone(), "pending batches first, then the dead process's batch");
            assertEquals(2, store.batches(job.id()).get(0).attempts());
            assertDecryptsToOriginalsUnder(plane, originals, MigrationFixture.stored(dbs), active);
            assertEquals(1, plane.audit().byAction(AuditAction.MIGRATION_RESUMED).size());
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static void assertDecryptsToOriginalsUnder(ControlPlane plane, Map<Integer, String[]> originals,
                                               Map<Integer, String[]> stored, CdkId target) {
        assertEquals(originals.keySet(), stored.keySet());
        String[] contexts = {"customer.email", "Customer.phone"};
        for (Map.Entry<Integer, String[]> e : originals.entrySet()) {
            for (int col = 0; col < 2; col++) {
                String want = e.getValue()[col];
                String have = stored.get(e.getKey())[col];
                if (want == null) {
                    assertNull(have, "row " + e.getKey());
                    continue;
                }
                assertEquals(target, PropertyCipher.cdkIdOf(have), "row " + e.getKey() + " column " + col);
                assertEquals(want, plane.propertyCipher().decryptString(have, contexts[col]), "row " + e.getKey());
            }
        }
    }

    static void assertTableEquals(Map<Integer, String[]> a, Map<Integer, String[]> b, String message) {
        assertEquals(a.keySet(), b.keySet(), message);
        List<String> diff = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!java.util.Arrays.equals(v, b.get(k))) {
                diff.add(String.valueOf(k));
            }
        });
        assertTrue(diff.isEmpty(), message + ": rows changed " + diff);
    }

}
