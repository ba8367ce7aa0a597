package dev.dataenc.bench;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.migrate.IdentityBaseline;
import dev.dataenc.migrate.JdbcRecordSource;
import dev.dataenc.migrate.Migration;
import dev.dataenc.migrate.MigrationPlan;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.migrate.MigrationResult;
import dev.dataenc.registry.RegistryDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * The "1 million encrypted emails" benchmark (a program, not a test): fills {@code bench_customer}
 * with N encrypted 64-byte values spread evenly over a few old CDKs, rotates once more, then times
 * the dry run ({@link Migration#plan}) and the migration ({@link Migration#run}) to the new ACTIVE
 * CDK on a freshly opened control plane (cold CDK cache, as the CLI runs), and counts the keystore
 * calls that cache made (unwraps): O(number of CDKs), not O(records). Checks a sample afterwards. Then runs the
 * identity baseline ({@link IdentityBaseline}) over a copy of the same rows ({@code bench_customer_base}, made
 * before the migration): the same engine, reads, compare-and-set writes and batches with the crypto replaced by
 * writing each value back unchanged, so that the ratio shows what the crypto costs. Before either is timed, both run
 * once over a smaller warm-up copy of the first rows ({@code bench_warm}, {@code bench_warm_base}; {@value #WARM_ROWS}
 * rows at most), and the JIT compiler is let finish what the warm-up queued ({@link #quietJit}), so that neither is
 * measured while the JIT still compiles its path: at 100,000 rows on 2 busy cores the compiler otherwise takes about
 * half of the first run's CPU.
 *
 * <pre>
 * MigrationBench h2 [rows] [cdks]
 * MigrationBench postgres [rows] [cdks] jdbc:postgresql://host:port/ user
 * </pre>
 * Runs with a real {@code local} keystore; {@code bench/run-migration.sh} builds and runs it.
 */
public final class MigrationBench {

    private static final String CONTEXT = "bench_customer.email";
    private static final int INSERT_BATCH = 5_000;
    /** Rows of the warm-up tables (or all rows, if fewer). */
    static final int WARM_ROWS = 50_000;
    private static final String COLUMNS = "id INT PRIMARY KEY, email VARCHAR(400)";

    private MigrationBench() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int cdks = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("dataenc-migration-bench");
        RegistrySettings registry;
        String hostUrl;
        String user;
        if (kind.equals("postgres")) {
            String base = args[3].endsWith("/") ? args[3] : args[3] + "/";
            user = args.length > 4 ? args[4] : "postgres";
            registry = new RegistrySettings(newDatabase(base, user, "registry"), user, "");
            hostUrl = newDatabase(base, user, "host");
        } else {
            registry = new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", "");
            hostUrl = "jdbc:h2:file:" + dir.resolve("host") + ";WRITE_DELAY=0";
            user = "sa";
        }
        KeystoreSettings local = KeystoreSettings.of("a", "local", Map.of("path", dir.resolve("a.p12").toString(),
                "password", "bench-only-password", "master-key", "bench-mk"));
        if (!Files.exists(dir.resolve("a.p12"))) {
            Keystores.createMasterKey(local); // opening never creates a master key
        }
        DataEncConfig config = new DataEncConfig(null, CipherType.ofKeystoreType("local"), "a", Map.of("a", local),
                registry, CacheLimits.defaults(), RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(60));
        System.out.printf("migration benchmark: %s, %,d rows x one 64-byte value, %d old CDKs, %d cores, %s%n", kind, rows,
                cdks, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));

        long t0 = System.nanoTime();
        int warm = Math.min(rows, WARM_ROWS);
        fill(config, hostUrl, user, rows, cdks, warm);
        copy(hostUrl, user, "bench_customer", "bench_customer_base", COLUMNS);
        copy(hostUrl, user, "bench_warm", "bench_warm_base", COLUMNS);
        System.out.printf("fill: %.1f s%n", secs(t0));
        warmUp(config, table -> source(hostUrl, user, table), warm);
        double rate;

        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench"));
             JdbcRecordSource source = JdbcRecordSource.connect(hostUrl, user, "").table("bench_customer").key("id")
                     .column("email:" + CONTEXT).build()) {
            MigrationRequest request = MigrationRequest.of(source);
            Migration migration = new Migration(plane);
            long callsBefore = plane.status().cache().keystoreCalls();
            long t1 = System.nanoTime();
            MigrationPlan plan = migration.plan(request);
            double dry = secs(t1);
            System.out.printf("dry run: %.1f s, %,d values to re-encrypt under %d CDKs, %d batches%n", dry,
                    plan.toWrite(), plan.valuesPerCdk().size(), plan.batches());
            long t2 = System.nanoTime();
            MigrationResult result = migration.run(request);
            double run = secs(t2);
            long calls = plane.status().cache().keystoreCalls() - callsBefore;
            rate = result.job().counts().records() / run;
            System.out.printf("migrate: %.1f s, %,d records, %,d re-encrypted, %,.0f records/s%n", run,
                    result.job().counts().records(), result.job().counts().migrated(), rate);
            System.out.printf("keystore calls (CDK cache unwraps) during dry run + migration: %d, for %d CDKs%n",
                    calls, cdks + 1);
            System.out.printf("references left under old CDKs: %s%n", result.references().map(r -> {
                Map<?, Long> m = new java.util.HashMap<>(r.references());
                m.remove(r.target());
                return m.toString();
            }).orElse("?"));
            check(plane.propertyCipher(), hostUrl, user, rows, plan.target().toString());
        }
        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench"));
             JdbcRecordSource base = JdbcRecordSource.connect(hostUrl, user, "").table("bench_customer_base").key("id")
                     .column("email:" + CONTEXT).build()) {
            long t3 = System.nanoTime();
            MigrationResult result = IdentityBaseline.migration(plane).run(MigrationRequest.of(base));
            double run = secs(t3);
            double baseRate = result.job().counts().records() / run;
            System.out.printf("identity baseline (same engine, crypto replaced by writing each value back): %.1f s, %,d"
                    + " records, %,d rewritten, %,.0f records/s%n", run, result.job().counts().records(),
                    result.job().counts().migrated(), baseRate);
            System.out.printf("migrate / baseline: %.2fx%n", rate / baseRate);
        }
    }

    /**
     * The same rows for the baseline: {@code to} is created with the same column definitions as {@code from}
     * ({@code columns}, primary key included) and filled by {@code INSERT ... SELECT}. Not {@code CREATE TABLE AS}:
     * H2 then keys the rows by a hidden row id and the primary key added afterwards is a secondary index, so each
     * compare-and-set of the baseline would cost an extra index lookup that the migrated table does not pay.
     */
    static void copy(String url, String user, String from, String to, String columns) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + to + " (" + columns + ")");
            s.execute("INSERT INTO " + to + " SELECT * FROM " + from);
            if (c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                s.execute("VACUUM ANALYZE " + from);
                s.execute("VACUUM ANALYZE " + to);
            }
        }
    }

    /**
     * Runs the migration and the identity baseline once over the warm-up tables ({@code bench_warm} and its copy
     * {@code bench_warm_base}, opened by {@code sourceOf}), untimed, then waits for the JIT to go quiet.
     */
    static void warmUp(DataEncConfig config, java.util.function.Function<String, JdbcRecordSource> sourceOf, int warm) {
        long t = System.nanoTime();
        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench-warm-up"));
             JdbcRecordSource source = sourceOf.apply("bench_warm");
             JdbcRecordSource base = sourceOf.apply("bench_warm_base")) {
            new Migration(plane).run(MigrationRequest.of(source));
            IdentityBaseline.migration(plane).run(MigrationRequest.of(base));
        }
        System.out.printf("warm-up (migration and baseline over %,d rows each, untimed): %.1f s%n", warm, secs(t));
        quietJit();
    }

    /** Waits (30 s at most) until the JIT compiler has spent no time for a whole second. */
    static void quietJit() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long t = System.nanoTime();
        long last = -1;
        while (secs(t) < 30) {
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                break;
            }
            last = now;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.printf("JIT compiler quiet after %.1f s%n", secs(t));
    }

    private static JdbcRecordSource source(String url, String user, String table) {
        return JdbcRecordSource.connect(url, user, "").table(table).key("id").column("email:" + CONTEXT).build();
    }

    /** Fills {@code bench_customer}, and {@code bench_warm} with the first {@code warm} of its rows. */
    private static void fill(DataEncConfig config, String url, String user, int rows, int cdks, int warm)
            throws SQLException {
        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench-app"));
             Connection c = DriverManager.getConnection(url, user, "")) {
            if (plane.registry().findActive().isEmpty()) {
                plane.rotateCdk("benchmark");
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench_customer (" + COLUMNS + ")");
                s.execute("CREATE TABLE bench_warm (" + COLUMNS + ")");
            }
            c.setAutoCommit(false);
            int perCdk = (rows + cdks - 1) / cdks;
            // the warm-up rows are every (rows / warm)-th row, so that they spread over the old CDKs too
            int warmStride = Math.max(1, rows / Math.max(1, warm));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO bench_customer (id, email) VALUES (?, ?)");
                 PreparedStatement w = c.prepareStatement("INSERT INTO bench_warm (id, email) VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    if (i > 0 && i % perCdk == 0) {
                        plane.rotateCdk("benchmark");
                    }
                    String ct = plane.propertyCipher().encryptString(value(i), CONTEXT);
                    s.setInt(1, i);
                    s.setString(2, ct);
                    s.addBatch();
                    if (i % warmStride == 0 && i / warmStride < warm) {
                        w.setInt(1, i);
                        w.setString(2, ct);
                        w.addBatch();
                    }
                    if (i % INSERT_BATCH == INSERT_BATCH - 1) {
                        s.executeBatch();
                        w.executeBatch();
                        c.commit();
                    }
                }
                s.executeBatch();
                w.executeBatch();
                c.commit();
            }
            plane.rotateCdk("benchmark: the migration target");
        }
    }

    /** Decrypts 1,000 random rows and compares them with what was written. */
    private static void check(PropertyCipher cipher, String url, String user, int rows, String target) throws SQLException {
        Random random = new Random(42);
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement s = c.prepareStatement("SELECT email FROM bench_customer WHERE id = ?")) {
            for (int n = 0; n < 1000; n++) {
                int id = random.nextInt(rows);
                s.setInt(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    String ct = rs.getString(1);
                    if (!PropertyCipher.cdkIdOf(ct).toString().equals(target)
                            || !cipher.decryptString(ct, CONTEXT).equals(value(id))) {
                        throw new IllegalStateException("row " + id + " is not under the target or does not decrypt back");
                    }
                }
            }
        }
        System.out.println("check: 1,000 random rows are under the new ACTIVE CDK and decrypt to what was written");
    }

    /** A 64-byte value. */
    private static String value(int i) {
        String s = "user" + i + "@example.com";
        return s + "x".repeat(64 - s.length());
    }

    static String newDatabase(String base, String user, String what) throws SQLException {
        String name = "dataenc_bench_" + what + "_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(base + "postgres", user, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return base + name;
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
