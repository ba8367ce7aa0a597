package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.blob.s3.S3Moto;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.migrate.BlobFixture.Original;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration of the objects of an S3 bucket (moto, real SDK over HTTP) through {@link BlobStoreRecordSource}: BLOBs
 * and a binary property value under old CDKs re-encrypted under the ACTIVE one, and a run interrupted mid-way
 * resumed to completion. Reuses landing-config's migration fixtures (same package, its test-jar).
 */
class S3BlobMigrationTest {

    private static final String PREFIX = "att/";
    private static S3Moto moto;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        moto = S3Moto.startOrSkip();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    /** {@link BlobDirFixture#FILES} objects under {@code cdks} CDKs in turn, then one rotation more. Key -> original. */
    private static Map<String, Original> fill(ControlPlane plane, String bucket, int cdks, long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, Original> originals = new LinkedHashMap<>();
        int perCdk = (BlobDirFixture.FILES + cdks - 1) / cdks;
        Set<CdkId> used = new HashSet<>();
        for (int i = 0; i < BlobDirFixture.FILES; i++) {
            if (i > 0 && i % perCdk == 0) {
                plane.rotateCdk("test");
            }
            Original o = BlobFixture.original(i, random);
            originals.put(BlobDirFixture.key(i), o);
            byte[] c = BlobFixture.encrypt(plane, o);
            used.add(BlobFixture.cdkOf(c));
            moto.put(bucket, PREFIX + BlobDirFixture.key(i), c);
        }
        plane.rotateCdk("test");
        plane.flushUsage();
        assertEquals(cdks, used.size());
        return originals;
    }

    private static void assertMigrated(ControlPlane plane, String bucket, Map<String, Original> originals, CdkId target)
            throws Exception {
        for (Map.Entry<String, Original> e : originals.entrySet()) {
            byte[] stored = moto.get(bucket, PREFIX + e.getKey());
            assertEquals(target, BlobFixture.cdkOf(stored), e.getKey());
            assertArrayEquals(e.getValue().plain(), BlobFixture.decrypt(plane, stored, e.getValue().blob()), e.getKey());
        }
    }

    @Test
    void bucketOfObjectsUnderOldCdks_migrated_everyObjectDecryptsUnderTheNewCdk() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        String bucket = moto.createBucket();
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            Map<String, Original> originals = fill(plane, bucket, 3, 31);
            moto.put(bucket, PREFIX + "README.txt", "not encrypted".getBytes(StandardCharsets.UTF_8));
            moto.put(bucket, "elsewhere/x.bin", BlobFixture.encrypt(plane, originals.values().iterator().next()));
            CdkId target = plane.registry().findActive().orElseThrow().id();
            MigrationResult r;
            try (BlobStoreRecordSource source = new BlobStoreRecordSource(moto.store(bucket, PREFIX), BlobFixture.CONTEXT)) {
                r = new Migration(plane).run(BlobMigrationTest.request(source));
            }
            ValueCounts n = r.job().counts();
            assertEquals(BlobDirFixture.FILES + 1, n.records(), n.toString());
            assertEquals(BlobDirFixture.FILES, n.migrated(), n.toString());
            assertEquals(1, n.plaintext(), "the plain object is left alone");
            assertMigrated(plane, bucket, originals, target);
            assertEquals("not encrypted", new String(moto.get(bucket, PREFIX + "README.txt"), StandardCharsets.UTF_8));
            assertTrue(r.references().orElseThrow().references().keySet().stream().allMatch(target::equals));
            assertEquals("s3://" + bucket + "/" + PREFIX + " [" + BlobFixture.CONTEXT + "]", r.job().source());
        }
    }

    @Test
    void runInterruptedMidway_sameRunAgainResumesAndCompletes() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        String bucket = moto.createBucket();
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            Map<String, Original> originals = fill(plane, bucket, 2, 32);
            CdkId target = plane.registry().findActive().orElseThrow().id();
            AtomicInteger chunks = new AtomicInteger();
            CrashPoint stop = name -> {
                if (name.equals("chunk-written") && chunks.incrementAndGet() == 2) {
                    throw new IllegalStateException("interrupted for the test");
                }
            };
            try (BlobStoreRecordSource source = new BlobStoreRecordSource(moto.store(bucket, PREFIX), BlobFixture.CONTEXT)) {
                assertThrows(IllegalStateException.class, () -> new Migration(plane, Migration.Options.defaults()
                        .withCrash(stop).withLease(java.time.Duration.ofSeconds(1))).run(BlobMigrationTest.request(source)),
                        "a short lease: the batch it held is free again by the time the run is repeated");
            }
            long done = originals.keySet().stream()
                    .filter(k -> BlobFixture.cdkOf(moto.get(bucket, PREFIX + k)).equals(target)).count();
            assertTrue(done > 0 && done < BlobDirFixture.FILES, "interrupted mid-way: " + done + " migrated");
            try (BlobStoreRecordSource source = new BlobStoreRecordSource(moto.store(bucket, PREFIX), BlobFixture.CONTEXT)) {
                MigrationResult r = new Migration(plane).run(BlobMigrationTest.request(source));
                assertTrue(r.resumed());
                ValueCounts n = r.job().counts();
                assertEquals(BlobDirFixture.FILES, n.migrated() + n.alreadyTarget(), n.toString());
            }
            assertMigrated(plane, bucket, originals, target);
        }
    }
}
