package dev.dataenc.bench;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.migrate.IdentityBaseline;
import dev.dataenc.migrate.JdbcRecordSource;
import dev.dataenc.migrate.Migration;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.migrate.MigrationResult;
import dev.dataenc.registry.RegistryDatabase;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The BLOB migration benchmark (a program, not a test): N BLOB ciphertexts of S MiB each in a binary column
 * ({@code BLOB} on H2, {@code bytea} on PostgreSQL) under two old CDKs are migrated to a new ACTIVE CDK by
 * {@link Migration#run} (streamed: chunked reads, a temporary file, compare-and-set on the old value's SHA-256,
 * streamed write). Prints MB/s (10^6 bytes of ciphertext per second) for the migration, for the identity baseline
 * over a copy of the same rows ({@link IdentityBaseline}: same reads, temporary files and compare-and-set writes,
 * no crypto), and for the raw BLOB decrypt+encrypt of one such value in memory (no database), with the ratios.
 *
 * <pre>
 * BlobMigrationBench h2 [rows] [MiB]
 * BlobMigrationBench postgres [rows] [MiB] jdbc:postgresql://host:port/ user
 * </pre>
 */
public final class BlobMigrationBench {

    private static final String CONTEXT = "bench_doc.body";

    private BlobMigrationBench() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int mib = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path dir = Files.createTempDirectory("dataenc-blob-migration-bench");
        RegistrySettings registry;
        String hostUrl;
        String user;
        if (kind.equals("postgres")) {
            String base = args[3].endsWith("/") ? args[3] : args[3] + "/";
            user = args.length > 4 ? args[4] : "postgres";
            registry = new RegistrySettings(MigrationBench.newDatabase(base, user, "blob_registry"), user, "");
            hostUrl = MigrationBench.newDatabase(base, user, "blob_host");
        } else {
            registry = new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", "");
            hostUrl = "jdbc:h2:file:" + dir.resolve("host") + ";WRITE_DELAY=0";
            user = "sa";
        }
        KeystoreSettings local = KeystoreSettings.of("a", "local", Map.of("path", dir.resolve("a.p12").toString(),
                "password", "bench-only-password", "master-key", "bench-mk"));
        Keystores.createMasterKey(local);
        DataEncConfig config = new DataEncConfig(null, CipherType.ofKeystoreType("local"), "a", Map.of("a", local),
                registry, CacheLimits.defaults(), RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(60));
        System.out.printf("BLOB migration benchmark: %s, %d rows x one %d MiB BLOB, 2 old CDKs, %d cores, %s, tmpdir %s%n",
                kind, rows, mib, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                System.getProperty("java.io.tmpdir"));

        long t0 = System.nanoTime();
        fill(config, hostUrl, user, "bench_warm", WARM_ROWS, mib * 1024 * 1024);
        MigrationBench.copy(hostUrl, user, "bench_warm", "bench_warm_base", "id INT PRIMARY KEY, body " + binaryType(hostUrl));
        byte[] sample = fill(config, hostUrl, user, "bench_doc", rows, mib * 1024 * 1024);
        MigrationBench.copy(hostUrl, user, "bench_doc", "bench_doc_base", "id INT PRIMARY KEY, body " + binaryType(hostUrl));
        System.out.printf("fill: %.1f s%n", MigrationBench.secs(t0));
        // the migration ran first with a cold JIT before (HotSpot 17 runs GHASH in Java until its callers are
        // compiled), the baseline after it with a warm one
        MigrationBench.warmUp(config, table -> source(hostUrl, user, table), WARM_ROWS);
        double total = (double) sample.length * rows / 1e6;

        double migrate;
        double baseline;
        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench"))) {
            double raw = raw(plane.blobCipher(), sample, rows);
            try (JdbcRecordSource source = source(hostUrl, user, "bench_doc")) {
                long t1 = System.nanoTime();
                MigrationResult r = new Migration(plane).run(MigrationRequest.of(source));
                migrate = total / MigrationBench.secs(t1);
                System.out.printf("migrate: %.1f s, %d re-encrypted, %.0f MB/s%n", MigrationBench.secs(t1),
                        r.job().counts().migrated(), migrate);
            }
            try (JdbcRecordSource base = source(hostUrl, user, "bench_doc_base")) {
                long t2 = System.nanoTime();
                MigrationResult r = IdentityBaseline.migration(plane).run(MigrationRequest.of(base));
                baseline = total / MigrationBench.secs(t2);
                System.out.printf("identity baseline (same engine, each value copied, no crypto): %.1f s, %d rewritten,"
                        + " %.0f MB/s%n", MigrationBench.secs(t2), r.job().counts().migrated(), baseline);
            }
            System.out.printf("raw BLOB decrypt+encrypt of one %d MiB value in memory, no database: %.0f MB/s%n", mib, raw);
            System.out.printf("migrate / baseline: %.2fx; migrate / raw decrypt+encrypt: %.2fx%n", migrate / baseline,
                    migrate / raw);
            check(plane.blobCipher(), hostUrl, user, rows, mib * 1024 * 1024);
        }
    }

    private static JdbcRecordSource source(String url, String user, String table) {
        return JdbcRecordSource.connect(url, user, "").table(table).key("id").column("body:" + CONTEXT).build();
    }

    /** BLOBs the warm-up migrates (and copies) before anything is timed. */
    private static final int WARM_ROWS = 4;

    /** Fills {@code table}, half the rows under one CDK and half under another; returns one ciphertext. */
    private static byte[] fill(DataEncConfig config, String url, String user, String table, int rows, int size)
            throws Exception {
        byte[] sample = null;
        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench-app"));
             Connection c = DriverManager.getConnection(url, user, "")) {
            if (plane.registry().findActive().isEmpty()) {
                plane.rotateCdk("benchmark");
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, body " + binaryType(url) + ")");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (id, body) VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    if (i == rows / 2) {
                        plane.rotateCdk("benchmark");
                    }
                    byte[] ct = encrypt(plane.blobCipher(), plain(i, size));
                    sample = ct;
                    s.setInt(1, i);
                    s.setBinaryStream(2, new ByteArrayInputStream(ct), ct.length);
                    s.executeUpdate();
                }
            }
            plane.rotateCdk("benchmark: the migration target");
        }
        return sample;
    }

    private static String binaryType(String url) {
        return url.startsWith("jdbc:postgresql:") ? "bytea" : "BLOB";
    }

    private static byte[] plain(int i, int size) {
        byte[] p = new byte[size];
        new Random(i).nextBytes(p);
        return p;
    }

    private static byte[] encrypt(BlobCipher cipher, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + 64 * 1024);
        cipher.encrypt(new ByteArrayInputStream(plain), out, CONTEXT);
        return out.toByteArray();
    }

    /** MB/s of streaming decrypt -> encrypt of {@code ciphertext}, {@code times} times after one warm-up, in memory. */
    private static double raw(BlobCipher cipher, byte[] ciphertext, int times) throws IOException {
        for (int round = 0; round <= times; round++) {
            if (round == 1) {
                long t = System.nanoTime();
                for (int n = 0; n < times; n++) {
                    reencrypt(cipher, ciphertext);
                }
                return (double) ciphertext.length * times / 1e6 / MigrationBench.secs(t);
            }
            reencrypt(cipher, ciphertext);
        }
        throw new IllegalStateException();
    }

    private static void reencrypt(BlobCipher cipher, byte[] ciphertext) throws IOException {
        try (InputStream plain = cipher.decryptingStream(new ByteArrayInputStream(ciphertext), CONTEXT)) {
            cipher.encrypt(plain, OutputStream.nullOutputStream(), CONTEXT);
        }
    }

    /** Every migrated row decrypts to what was written. */
    private static void check(BlobCipher cipher, String url, String user, int rows, int size) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement s = c.prepareStatement("SELECT body FROM bench_doc WHERE id = ?")) {
            for (int i = 0; i < rows; i++) {
                s.setInt(1, i);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
                    cipher.decrypt(new ByteArrayInputStream(rs.getBytes(1)), out, CONTEXT);
                    if (!Arrays.equals(plain(i, size), out.toByteArray())) {
                        throw new IllegalStateException("row " + i + " does not decrypt to what was written");
                    }
                }
            }
        }
        System.out.println("check: every row decrypts to what was written");
    }
}
