package dev.dataenc.jpa.bench;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.jpa.DataEncJpa;
import dev.dataenc.testing.KeystoreFiles;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Table;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.hibernate.cfg.Configuration;

/**
 * Measures what the JPA user types cost per entity load: {@code rows} entities with two 64-character string attributes
 * are loaded from an in-memory H2 database by {@code EntityManager.find} (one SELECT each) and by one query returning
 * all rows, for three otherwise identical entities: plain strings, {@code EncryptedStringType} and
 * {@code DeterministicStringType}. Each round runs every variant once (interleaved, so machine load hits all alike),
 * each in a fresh {@code EntityManager}; the first {@code warmup} rounds are discarded. Reported per entity: the median
 * and minimum over the measured rounds of wall time and of this thread's CPU time (less sensitive to other processes on
 * a shared machine), and the median's overhead over plain in µs and as a ratio.
 *
 * <p>A plain main, not a test and not JMH: run it with {@code bench/run-jpa.sh [rows] [warmup] [rounds]}. The service
 * runs over a {@code local} keystore and an H2 registry in a temporary directory; the CDK is cached, so no keystore call
 * happens during measurement. Every loaded value is checked against what was stored, and row 1 of each table is read
 * over JDBC to check the encrypted variants really stored ciphertext.
 */
public final class JpaLoadBench {

    private static final String URL = "jdbc:h2:mem:jpa-bench;DB_CLOSE_DELAY=-1";
    private static final String NAME = "n".repeat(48) + "name-padding-16b";
    private static final String EMAIL = "e".repeat(48) + "@example.invalid";

    private JpaLoadBench() {
    }

    /** One entity class under test and how to build an instance of it. */
    private record Variant(String label, Class<? extends BenchRow> type, RowFactory factory) {
    }

    /** Builds an entity of one variant. */
    @FunctionalInterface
    private interface RowFactory {
        BenchRow create(long id, String name, String email);
    }

    /** Per-entity nanoseconds of one measured operation in one round: wall and thread CPU time. */
    private record Sample(double wallNs, double cpuNs) {
    }

    /**
     * Runs the benchmark and prints the table.
     *
     * @param args optional: rows (default 1000), warm-up rounds (default 50), measured rounds (default 50)
     * @throws Exception if the service, the database or a check fails
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        List<Variant> variants = List.of(
                new Variant("plain", PlainRow.class, PlainRow::new),
                new Variant("EncryptedStringType", EncryptedRow.class, EncryptedRow::new),
                new Variant("DeterministicStringType", DeterministicRow.class, DeterministicRow::new));
        if (NAME.length() != 64 || EMAIL.length() != 64) {
            throw new IllegalStateException("attribute values must be 64 characters");
        }

        Path dir = Files.createTempDirectory("dataenc-jpa-bench");
        try (DataEncService service = startService(dir)) {
            DataEncJpa.install(service);
            Configuration configuration = new Configuration()
                    .setProperty("hibernate.connection.url", URL)
                    .setProperty("hibernate.connection.username", "sa")
                    .setProperty("hibernate.connection.password", "")
                    .setProperty("hibernate.hbm2ddl.auto", "create");
            variants.forEach(v -> configuration.addAnnotatedClass(v.type()));
            try (EntityManagerFactory emf = configuration.buildSessionFactory()) {
                for (Variant v : variants) {
                    insert(emf, v, rows);
                    checkStored(v);
                }
                List<List<Sample>> find = new ArrayList<>();
                List<List<Sample>> query = new ArrayList<>();
                variants.forEach(v -> {
                    find.add(new ArrayList<>());
                    query.add(new ArrayList<>());
                });
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                for (int round = 0; round < warmup + rounds; round++) {
                    for (int i = 0; i < variants.size(); i++) {
                        Class<? extends BenchRow> type = variants.get(i).type();
                        Sample f = measure(threads, rows, () -> loadByFind(emf, type, rows));
                        Sample q = measure(threads, rows, () -> loadByQuery(emf, type, rows));
                        if (round >= warmup) {
                            find.get(i).add(f);
                            query.get(i).add(q);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "Hibernate %s, %s %s, %d rows x 2 attributes of 64 chars, H2 in memory,"
                                + " %d warm-up + %d measured rounds%n", org.hibernate.Version.getVersionString(),
                        System.getProperty("java.vm.name"), System.getProperty("java.version"), rows, warmup, rounds);
                print("find (one SELECT per entity)", variants, find);
                print("query (one SELECT, all rows)", variants, query);
            }
        } finally {
            DataEncJpa.uninstall();
            deleteTree(dir);
        }
    }

    private static DataEncService startService(Path dir) throws Exception {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type = platform\n"
                + "dataenc.keystore.active = a\n"
                + "dataenc.keystores.a.type = local\n"
                + "dataenc.keystores.a.path = a.p12\n"
                + "dataenc.keystores.a.password = test-password-a\n"
                + "dataenc.keystores.a.master-key = mk-a\n");
        KeystoreFiles.provideAll(file);
        return DataEncService.start(file);
    }

    private static void insert(EntityManagerFactory emf, Variant v, int rows) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            for (long id = 1; id <= rows; id++) {
                em.persist(v.factory().create(id, NAME, EMAIL));
            }
            em.getTransaction().commit();
        } finally {
            em.close();
        }
    }

    /** Reads row 1 over JDBC: plain stores the value as is, the encrypted variants must not. */
    private static void checkStored(Variant v) throws SQLException {
        String table = v.type().getAnnotation(Table.class).name();
        try (Connection c = DriverManager.getConnection(URL, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT name, email FROM " + table + " WHERE id = 1")) {
            if (!rs.next()) {
                throw new IllegalStateException(table + ": row 1 missing");
            }
            boolean plain = NAME.equals(rs.getString(1)) && EMAIL.equals(rs.getString(2));
            if (plain != (v.type() == PlainRow.class)) {
                throw new IllegalStateException(table + ": stored values are " + (plain ? "" : "not ") + "plaintext");
            }
        }
    }

    /** Loads rows 1..rows one {@code find} each in a fresh EntityManager; returns the checked attribute length. */
    private static long loadByFind(EntityManagerFactory emf, Class<? extends BenchRow> type, int rows) {
        EntityManager em = emf.createEntityManager();
        try {
            long chars = 0;
            for (long id = 1; id <= rows; id++) {
                chars += check(em.find(type, id));
            }
            return chars;
        } finally {
            em.close();
        }
    }

    /** Loads all rows with one query in a fresh EntityManager; returns the checked attribute length. */
    private static long loadByQuery(EntityManagerFactory emf, Class<? extends BenchRow> type, int rows) {
        EntityManager em = emf.createEntityManager();
        try {
            List<? extends BenchRow> loaded = em.createQuery("from " + type.getSimpleName(), type).getResultList();
            if (loaded.size() != rows) {
                throw new IllegalStateException(type.getSimpleName() + ": " + loaded.size() + " rows, expected " + rows);
            }
            long chars = 0;
            for (BenchRow row : loaded) {
                chars += check(row);
            }
            return chars;
        } finally {
            em.close();
        }
    }

    private static int check(BenchRow row) {
        if (row == null || !NAME.equals(row.name()) || !EMAIL.equals(row.email())) {
            throw new IllegalStateException("loaded entity does not hold the stored values");
        }
        return row.name().length() + row.email().length();
    }

    /** Checked operation returning a value derived from what it loaded. */
    @FunctionalInterface
    private interface Load {
        long run();
    }

    private static Sample measure(ThreadMXBean threads, int rows, Load load) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long chars = load.run();
        long t1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        if (chars != 128L * rows) {
            throw new IllegalStateException("loaded " + chars + " characters, expected " + 128L * rows);
        }
        return new Sample((double) (t1 - t0) / rows, (double) (cpu1 - cpu0) / rows);
    }

    private static void print(String title, List<Variant> variants, List<List<Sample>> samples) {
        System.out.printf(Locale.ROOT, "%n%s, µs per entity%n", title);
        System.out.printf(Locale.ROOT, "%-26s%10s%9s%14s%8s%10s%9s%14s%8s%n", "variant", "wall med", "min",
                "+µs vs plain", "ratio", "cpu med", "min", "+µs vs plain", "ratio");
        double plainWall = median(samples.get(0), Sample::wallNs);
        double plainCpu = median(samples.get(0), Sample::cpuNs);
        for (int i = 0; i < variants.size(); i++) {
            List<Sample> s = samples.get(i);
            double wall = median(s, Sample::wallNs);
            double cpu = median(s, Sample::cpuNs);
            System.out.printf(Locale.ROOT, "%-26s%10.2f%9.2f%14s%8s%10.2f%9.2f%14s%8s%n", variants.get(i).label(),
                    wall / 1e3, min(s, Sample::wallNs) / 1e3, i == 0 ? "" : String.format(Locale.ROOT, "%+.2f",
                            (wall - plainWall) / 1e3), i == 0 ? "" : String.format(Locale.ROOT, "%.2fx", wall / plainWall),
                    cpu / 1e3, min(s, Sample::cpuNs) / 1e3, i == 0 ? "" : String.format(Locale.ROOT, "%+.2f",
                            (cpu - plainCpu) / 1e3), i == 0 ? "" : String.format(Locale.ROOT, "%.2fx", cpu / plainCpu));
        }
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        double[] values = samples.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double min(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        return samples.stream().mapToDouble(metric).min().orElseThrow();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
