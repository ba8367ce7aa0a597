package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.RetirementResult;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.migrate.BlobFixture.Original;
import dev.dataenc.migrate.MigrationFixture.Databases;
import dev.dataenc.testing.CrashingChild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration of a binary column ({@code BLOB} on H2, {@code bytea} on PostgreSQL) holding BLOB ciphertexts (some of
 * 1 MiB) and binary property ciphertexts under three old CDKs: re-encrypted as streams, written by compare-and-set on
 * the old value's SHA-256, resumable after SIGKILL, and counted as BLOB evidence for retirement.
 */
class BlobMigrationTest {

    @TempDir
    Path dir;

    static MigrationRequest request(RecordSource source) {
        return MigrationRequest.of(source).withBatchSize(4).withWriteChunk(2);
    }

    private static Set<CdkId> cdks(Databases dbs) throws Exception {
        Set<CdkId> ids = new HashSet<>();
        for (byte[] v : BlobFixture.stored(dbs, "doc").values()) {
            if (v != null && v != BlobFixture.FOREIGN && v[0] == (byte) 0xDE) {
                ids.add(BlobFixture.cdkOf(v));
            }
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void binaryColumnUnderThreeOldCdks_migratesToActiveAndEveryValueDecryptsToItsOriginal(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        BlobFixture.createDoc(dbs, "doc");
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            Map<Integer, Original> originals = BlobFixture.fill(plane, dbs, "doc", 3, 42);
            Set<CdkId> old = cdks(dbs);
            assertEquals(3, old.size());
            CdkId target = plane.registry().findActive().orElseThrow().id();
            try (JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
                assertEquals(SourceColumn.Kind.BINARY, source.columns().get(0).kind(), "detected from the column type");
                MigrationPlan plan = new Migration(plane).plan(request(source));
                assertTrue(plan.contextCheck().passed(), plan.contextCheck().diagnosis());
                assertEquals(BlobFixture.ROWS, plan.scan().perCdk().values().stream().mapToLong(Long::longValue).sum());
                assertEquals(9, plan.scan().blobsPerCdk().values().stream().mapToLong(Long::longValue).sum(),
                        "BLOBs told apart from property values by their header");
                assertEquals(1, plan.scan().plaintext());

                MigrationResult r = new Migration(plane).run(request(source));
                ValueCounts n = r.job().counts();
                assertEquals(BlobFixture.ROWS + 2, n.records());
                assertEquals(BlobFixture.ROWS, n.migrated(), n.toString());
                assertEquals(1, n.nulls());
                assertEquals(1, n.plaintext(), "the foreign value is left alone");
                assertEquals(0, n.unreadable() + n.changedByApp() + n.alreadyTarget(), n.toString());
                BlobFixture.assertMigrated(plane, dbs, "doc", originals, target, Map.of());
                ReferenceScan scan = r.references().orElseThrow();
                for (CdkId o : old) {
                    assertEquals(0, scan.referencesTo(o));
                }
                assertEquals(BlobFixture.ROWS, scan.referencesTo(target));

                MigrationResult again = new Migration(plane).run(request(source));
                assertEquals(0, again.job().counts().migrated(), "a second run finds everything on the target");
                assertEquals(BlobFixture.ROWS, again.job().counts().alreadyTarget());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void applicationWritesDuringMigration_areKept(String kind) throws Exception {
        Databases dbs = MigrationFixture.databases(kind, dir);
        BlobFixture.createDoc(dbs, "doc");
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            byte[] lagging = "written by a node still on the first CDK".getBytes(StandardCharsets.UTF_8);
            byte[] laggingCiphertext = plane.propertyCipher().encrypt(lagging, BlobFixture.CONTEXT); // under an old CDK
            Map<Integer, Original> originals = BlobFixture.fill(plane, dbs, "doc", 3, 7);
            CdkId target = plane.registry().findActive().orElseThrow().id();
            byte[] fresh = new byte[200_000];
            new java.util.Random(3).nextBytes(fresh);
            byte[] freshCiphertext = BlobFixture.encrypt(plane, new Original(fresh, true)); // under the ACTIVE CDK
            AtomicInteger records = new AtomicInteger();
            // row 0 (a 1 MiB BLOB) and row 1 (a property value) were re-encrypted and wait to be written when the
            // application writes them: the compare-and-set on the old value's digest must lose, and keep its values
            CrashPoint app = name -> {
                if (!name.equals("record")) {
                    return;
                }
                try {
                    switch (records.incrementAndGet()) {
                        case 1 -> BlobFixture.put(dbs, "doc", 0, freshCiphertext, false);
                        case 2 -> BlobFixture.put(dbs, "doc", 1, laggingCiphertext, false);
                        default -> { }
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            try (JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
                MigrationResult r = new Migration(plane, Migration.Options.defaults().withCrash(app))
                        .run(MigrationRequest.of(source));
                ValueCounts n = r.job().counts();
                assertEquals(1, n.changedByApp(), "row 0 now holds the application's BLOB under the ACTIVE CDK: " + n);
                assertEquals(BlobFixture.ROWS - 1, n.migrated(), "row 1 was re-read and its new value migrated: " + n);
                BlobFixture.assertMigrated(plane, dbs, "doc", originals, target, Map.of(0, fresh, 1, lagging));
                assertArrayEquals(freshCiphertext, BlobFixture.stored(dbs, "doc").get(0), "the application's write is kept");
            }
        }
    }

    @Test
    void wrongContextForBinaryColumn_refusedBeforeAnythingIsWritten() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        BlobFixture.createDoc(dbs, "doc");
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            BlobFixture.fill(plane, dbs, "doc", 3, 5);
            Map<Integer, byte[]> before = BlobFixture.stored(dbs, "doc");
            try (JdbcRecordSource source = dbs.source().table("doc").key("id").column("body:Doc.attachment").build()) {
                MigrationException e = assertThrows(MigrationException.class,
                        () -> new Migration(plane).run(request(source)));
                assertTrue(e.getMessage().contains("do not decrypt with context 'Doc.attachment'"), e.getMessage());
                MigrationException plaintext = assertThrows(MigrationException.class,
                        () -> request(source).withMode(MigrationMode.ENCRYPT_PLAINTEXT));
                assertTrue(plaintext.getMessage().contains("text columns only"), plaintext.getMessage());
            }
            Map<Integer, byte[]> after = BlobFixture.stored(dbs, "doc");
            for (Map.Entry<Integer, byte[]> row : before.entrySet()) {
                assertArrayEquals(row.getValue(), after.get(row.getKey()), "row " + row.getKey() + " unchanged");
            }
        }
    }

    @Test
    void killedMidBatchThreeTimes_resumeCompletesAndEveryValueDecryptsToItsOriginal() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        BlobFixture.createDoc(dbs, "doc");
        Map<Integer, Original> originals;
        Set<CdkId> old;
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "setup")) {
            originals = BlobFixture.fill(plane, dbs, "doc", 3, 11);
            old = cdks(dbs);
        }
        List<String> kills = List.of("record:2", "chunk-written:3", "record:7");
        Set<Path> tempsBefore = migrationTemps();
        for (String kill : kills) {
            CrashingChild.runAndKill(BlobMigrationCrashChild.class, kill + " of " + kills, dir.toString(), kill);
        }
        Set<Path> leftByKilled = new HashSet<>(migrationTemps());
        leftByKilled.removeAll(tempsBefore);
        assertFalse(leftByKilled.isEmpty(), "the killed children left the new ciphertexts of their chunk in flight");
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "final");
             JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
            CdkId target = plane.registry().findActive().orElseThrow().id();
            Migration migration = new Migration(plane);
            MigrationResult r = migration.run(request(source));
            assertTrue(r.resumed());
            assertTrue(r.completedHere());
            assertEquals(1, migration.store().history(10).size(), "one job, resumed each time");
            ValueCounts n = r.job().counts();
            assertEquals(BlobFixture.ROWS + 2, n.records(), n.toString());
            assertEquals(BlobFixture.ROWS, n.migrated() + n.alreadyTarget(), "every value counted once: " + n);
            assertTrue(n.alreadyTarget() > 0, "values written before a kill are skipped by CDK id: " + n);
            assertEquals(0, n.changedByApp() + n.unreadable(), n.toString());
            BlobFixture.assertMigrated(plane, dbs, "doc", originals, target, Map.of());
            ReferenceScan scan = r.references().orElseThrow();
            for (CdkId o : old) {
                assertEquals(0, scan.referencesTo(o));
            }
            assertEquals(kills.size(), plane.audit().byAction(AuditAction.MIGRATION_RESUMED).size());
        }
        for (Path p : leftByKilled) {
            assertFalse(Files.exists(p), "the next run removed " + p.getFileName() + ", left by a killed migration");
        }
    }

    /** The owned temporary files of migrations in java.io.tmpdir ({@link OwnedTempFiles}). */
    private static Set<Path> migrationTemps() throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().matches("dataenc-migrate-[0-9a-f]{16}-[0-9]+\\.tmp"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void retireCdks_retiresBlobCdksAfterBlobColumnMigration_andRefusesOneWhoseBlobSourceWasNeverMigrated()
            throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        BlobFixture.createDoc(dbs, "doc");
        BlobFixture.createDoc(dbs, "archive");
        CdkId archived;
        Set<CdkId> inDoc;
        // rotations ten minutes ago: the migration below starts after every old CDK went out of use
        ControlPlane.Options past = MigrationFixture.options("setup").withClock(Clock.offset(Clock.systemUTC(),
                Duration.ofMinutes(-10)));
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(),
                MigrationFixture.local(dir, "a")), past)) {
            BlobFixture.fill(plane, dbs, "doc", 2, 9);
            inDoc = cdks(dbs);
            archived = plane.registry().findActive().orElseThrow().id();
            BlobFixture.put(dbs, "archive", 1, BlobFixture.encrypt(plane, new Original(new byte[5000], true)), true);
            plane.rotateCdk("test");
            plane.flushUsage();
        }
        assertEquals(2, inDoc.size());
        assertFalse(inDoc.contains(archived));
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "admin");
             JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
            RetirementResult before = plane.retireCdks(new ScanEvidence(plane.database()), true);
            for (CdkId id : inDoc) {
                assertTrue(before.kept().get(id).contains("BLOB(s) encrypted under it"), before.kept().get(id));
            }
            new Migration(plane).run(MigrationRequest.of(source));

            RetirementResult result = plane.retireCdks(new ScanEvidence(plane.database()), false);
            assertEquals(inDoc, Set.copyOf(result.retired()), "retired on the BLOB column's scan, no attestation: "
                    + result.kept());
            String why = result.kept().get(archived);
            assertTrue(why.contains("no migrated source was ever found holding a BLOB under it"), why);
            assertEquals(2, plane.audit().byAction(AuditAction.CDK_ATTESTED).size(), "the scan evidence is audited");
            for (CdkId id : inDoc) {
                plane.destruction().schedule(id, Duration.ofDays(7)); // the recorded scan evidence covers the BLOBs
            }
        }
    }
}
