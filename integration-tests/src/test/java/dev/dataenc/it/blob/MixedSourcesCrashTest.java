package dev.dataenc.it.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.blob.s3.S3Moto;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cli.DataencCli;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.testing.CrashingChild;
import dev.dataenc.testing.KeystoreFiles;
import dev.dataenc.testing.PostgresServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's mixed data set: a PostgreSQL table with a text column of property ciphertexts and a {@code bytea}
 * column of BLOB ciphertexts, a directory of encrypted files and an S3 bucket on moto, written under 4 old CDKs
 * (plus an old CDK that never protected anything and one whose values live where no migration looks). The four
 * {@code dataenc migrate} runs go in child JVMs killed with SIGKILL at seeded random points (2-3 kills), then run to
 * completion. Every value and BLOB must decrypt to its original under the new CDK, and {@code retire-cdks} must
 * retire exactly the CDKs that protect nothing. Seed: printed; repeat with {@code -Ddataenc.it.seed=N}.
 */
class MixedSourcesCrashTest {

    private static final int PHASES = 4;
    private static final int ROWS_PER_PHASE = 5;
    private static final int FILES_PER_PHASE = 3;
    private static final int OBJECTS_PER_PHASE = 2;

    @TempDir
    Path dir;

    private record Data(Map<Integer, String> notes, Map<Integer, byte[]> bodies, Map<String, byte[]> files,
                        Map<String, byte[]> objects) {
    }

    private static byte[] blob(ControlPlane plane, byte[] plain, String context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plane.blobCipher().encrypt(new ByteArrayInputStream(plain), out, context);
        return out.toByteArray();
    }

    private static byte[] unblob(ControlPlane plane, byte[] ciphertext, String context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plane.blobCipher().decrypt(new ByteArrayInputStream(ciphertext), out, context);
        return out.toByteArray();
    }

    private static CdkId cdkOf(byte[] c) {
        return CiphertextInfo.ofBinary(Arrays.copyOf(c, Math.min(c.length, CiphertextInfo.PROBE_LENGTH)), c.length).cdkId();
    }

    @Test
    void mixedSourcesUnderFourOldCdks_killedAtRandomAndResumed_allDecryptUnderNewCdk_exactlyTheEmptyCdksRetired()
            throws Exception {
        long seed = Long.getLong("dataenc.it.seed", System.nanoTime());
        System.out.println("MixedSourcesCrashTest seed=" + seed + " (repeat with -Ddataenc.it.seed=" + seed + ")");
        Random random = new Random(seed);
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        String url = pg.newDatabase();
        Path config = dir.resolve("dataenc.properties");
        Files.writeString(config, "dataenc.cipher-type=platform\ndataenc.keystore.active=a\n"
                + "dataenc.keystores.a.type=local\ndataenc.keystores.a.path=a.p12\ndataenc.keystores.a.master-key=mk-a\n"
                + "dataenc.keystores.a.password=cli-test-password\ndataenc.registry.url=" + url + "\n"
                + "dataenc.registry.user=" + pg.user() + "\n", StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(config);
        Path files = Files.createDirectories(dir.resolve("files"));

        try (S3Moto moto = S3Moto.startOrSkip()) {
            String bucket = moto.createBucket();
            Data data = new Data(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
            Set<CdkId> withData = new HashSet<>();
            CdkId empty;
            CdkId elsewhere;
            // the application wrote and rotated ten minutes ago: its CDKs went out of use before the migrations
            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("app")
                    .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))));
                 Connection c = DriverManager.getConnection(url, pg.user(), "")) {
                if (plane.registry().findActive().isEmpty()) {
                    plane.rotateCdk("first");
                }
                empty = plane.registry().findActive().orElseThrow().id(); // rotated away before protecting anything
                plane.rotateCdk("test");
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE doc (id INT PRIMARY KEY, note TEXT, body bytea)");
                }
                PropertyCipher props = plane.propertyCipher();
                for (int phase = 0; phase < PHASES; phase++) {
                    withData.add(plane.registry().findActive().orElseThrow().id());
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO doc (id, note, body) VALUES (?, ?, ?)")) {
                        for (int r = 0; r < ROWS_PER_PHASE; r++) {
                            int id = phase * ROWS_PER_PHASE + r;
                            String note = "note " + id + " of phase " + phase;
                            byte[] body = new byte[1000 + random.nextInt(40_000)];
                            random.nextBytes(body);
                            data.notes().put(id, note);
                            data.bodies().put(id, body);
                            insert.setInt(1, id);
                            insert.setString(2, props.encryptString(note, MixedMigrateChild.NOTE));
                            insert.setBytes(3, blob(plane, body, MixedMigrateChild.BODY));
                            insert.executeUpdate();
                        }
                    }
                    for (int b = 0; b < FILES_PER_PHASE; b++) {
                        byte[] file = new byte[500 + random.nextInt(60_000)];
                        random.nextBytes(file);
                        String name = "p" + phase + "/f" + b + ".bin";
                        Files.createDirectories(files.resolve(name).getParent());
                        Files.write(files.resolve(name), blob(plane, file, MixedMigrateChild.FILE));
                        data.files().put(name, file);
                    }
                    for (int b = 0; b < OBJECTS_PER_PHASE; b++) {
                        byte[] object = new byte[500 + random.nextInt(60_000)];
                        random.nextBytes(object);
                        String key = "o" + phase + "-" + b + ".bin";
                        moto.put(bucket, MixedMigrateChild.PREFIX + key, blob(plane, object, MixedMigrateChild.OBJECT));
                        data.objects().put(key, object);
                    }
                    plane.rotateCdk("test");
                }
                // values the application keeps where no migration looks: their CDK must stay
                elsewhere = plane.registry().findActive().orElseThrow().id();
                props.encryptString("kept in a system no migration reaches", "Other.field");
                plane.rotateCdk("test");
                plane.flushUsage();
            }
            assertEquals(PHASES, withData.size());
            Path progress = dir.resolve("progress");
            String[] common = {config.toString(), bucket, moto.endpoint(), files.toString(), progress.toString()};

            int kills = 2 + random.nextInt(2);
            int killed = 0;
            for (int k = 0; k < kills; k++) {
                int from = MixedMigrateChild.done(progress); // the child goes on from there
                if (from == 4) {
                    break;
                }
                int source = from + random.nextInt(4 - from);
                long delay = random.nextInt(2000);
                String why = "seed " + seed + ", kill " + k + ": source " + source + " +" + delay + " ms";
                boolean wasKilled = CrashingChild.runAndMaybeKill(MixedMigrateChild.class, why,
                        concat(common, String.valueOf(source), String.valueOf(delay)));
                killed += wasKilled ? 1 : 0;
                System.out.println(why + (wasKilled ? ": killed" : ": finished before the kill"));
            }
            System.out.println("MixedSourcesCrashTest: " + killed + " of " + kills + " children killed with SIGKILL");
            long childStart = System.nanoTime();
            assertFalse(CrashingChild.runAndMaybeKill(MixedMigrateChild.class, "seed " + seed + ", final run",
                    concat(common, "-1", "0")), "the final run completes every source");
            System.out.println("final child: " + (System.nanoTime() - childStart) / 1_000_000 + " ms; completed runs:\n"
                    + Files.readString(Path.of(progress + ".log")));

            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("check"));
                 Connection c = DriverManager.getConnection(url, pg.user(), "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, note, body FROM doc ORDER BY id")) {
                CdkId target = plane.registry().findActive().orElseThrow().id();
                int rows = 0;
                while (rs.next()) {
                    int id = rs.getInt(1);
                    String note = rs.getString(2);
                    assertEquals(target, PropertyCipher.cdkIdOf(note), "note " + id);
                    assertEquals(data.notes().get(id), plane.propertyCipher().decryptString(note, MixedMigrateChild.NOTE));
                    byte[] body = rs.getBytes(3);
                    assertEquals(target, cdkOf(body), "body " + id);
                    assertArrayEquals(data.bodies().get(id), unblob(plane, body, MixedMigrateChild.BODY), "body " + id);
                    rows++;
                }
                assertEquals(PHASES * ROWS_PER_PHASE, rows);
                for (Map.Entry<String, byte[]> e : data.files().entrySet()) {
                    byte[] now = Files.readAllBytes(files.resolve(e.getKey()));
                    assertEquals(target, cdkOf(now), e.getKey());
                    assertArrayEquals(e.getValue(), unblob(plane, now, MixedMigrateChild.FILE), e.getKey());
                }
                for (Map.Entry<String, byte[]> e : data.objects().entrySet()) {
                    byte[] now = moto.get(bucket, MixedMigrateChild.PREFIX + e.getKey());
                    assertEquals(target, cdkOf(now), e.getKey());
                    assertArrayEquals(e.getValue(), unblob(plane, now, MixedMigrateChild.OBJECT), e.getKey());
                }
            }

            StringWriter out = new StringWriter();
            int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(out, true), "retire-cdks", "--config",
                    config.toString());
            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("check"))) {
                Set<CdkId> retired = plane.registry().list().stream().filter(r -> r.status() == CdkStatus.RETIRED)
                        .map(Cdk::id).collect(Collectors.toSet());
                Set<CdkId> expected = new HashSet<>(withData);
                expected.add(empty);
                assertEquals(expected, retired, "retire-cdks (exit " + code + "):\n" + out);
                assertEquals(CdkStatus.DECRYPT_ONLY, plane.registry().find(elsewhere).orElseThrow().status(), out.toString());
                assertTrue(out.toString().contains(elsewhere.toString()), "the CDK that stays is listed:\n" + out);
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
