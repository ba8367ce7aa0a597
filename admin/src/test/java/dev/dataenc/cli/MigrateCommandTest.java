package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.migrate.JdbcRecordSource;
import dev.dataenc.migrate.Migration;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.testing.KeystoreFiles;
import dev.dataenc.testing.PostgresServer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dataenc migrate} end to end on a real {@code local} keystore, with the registry and the host
 * table in H2 (the host table in the registry's database, the default) or PostgreSQL (a separate host
 * database given with {@code --db-url}).
 */
class MigrateCommandTest {

    private static final int ROWS = 300;
    private static final int OLD_CDKS = 4;
    /** The "application" wrote and rotated this long ago, so the CDKs went out of use before the migration. */
    private static final Duration EARLIER = Duration.ofMinutes(-10);

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** A configuration file plus where its host table lives and the options that reach it. */
    private record Setup(Path config, String hostUrl, String hostUser, List<String> dbOptions) {
        Connection host() throws SQLException {
            return DriverManager.getConnection(hostUrl, hostUser, "");
        }
    }

    private Run dataenc(Setup s, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--config", s.config().toString()));
        if (args[0].equals("migrate")) {
            full.addAll(s.dbOptions());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Setup setup(String kind) throws IOException, SQLException {
        String props = "dataenc.cipher-type=platform\ndataenc.keystore.active=a\ndataenc.keystores.a.type=local\n"
                + "dataenc.keystores.a.path=a.p12\ndataenc.keystores.a.master-key=mk-a\n"
                + "dataenc.keystores.a.password=cli-test-password\n";
        Path file = dir.resolve("dataenc.properties");
        if (kind.equals("postgres")) {
            PostgresServer pg = PostgresServer.available().orElse(null);
            assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
            Files.writeString(file, props + "dataenc.registry.url=" + pg.newDatabase() + "\ndataenc.registry.user="
                    + pg.user() + "\n", StandardCharsets.UTF_8);
            KeystoreFiles.provideAll(file);
            String host = pg.newDatabase();
            return new Setup(file, host, pg.user(), List.of("--db-url", host, "--db-user", pg.user()));
        }
        Files.writeString(file, props, StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(file);
        RegistrySettings registry = ConfigLoader.load(file).registry();
        return new Setup(file, registry.url(), registry.user(), List.of());
    }

    /** The control plane as an application sees it, on a clock moved by {@code offset}; with an ACTIVE CDK. */
    private static ControlPlane plane(Setup s, Duration offset) {
        ControlPlane plane = ControlPlane.open(ConfigLoader.load(s.config()), ControlPlane.Options.admin("app")
                .withClock(Clock.offset(Clock.systemUTC(), offset)));
        if (plane.registry().findActive().isEmpty()) {
            plane.rotateCdk("first CDK");
        }
        return plane;
    }

    /**
     * customer(id, email, phone, note): email under {@value #OLD_CDKS} CDKs in turn, every 7th phone
     * NULL, note plaintext; then a last rotation, so every value is under an old CDK. The rotations
     * happen on a clock moved by {@code offset}. Returns id -> [email, phone].
     */
    private static Map<Integer, String[]> fill(Setup s, Duration offset) throws SQLException {
        Map<Integer, String[]> originals = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        try (ControlPlane plane = plane(s, offset)) {
            PropertyCipher cipher = plane.propertyCipher();
            for (int i = 0; i < ROWS; i++) {
                if (i > 0 && i % (ROWS / OLD_CDKS) == 0) {
                    plane.rotateCdk("test");
                }
                String email = "user" + i + "@example.com";
                String phone = i % 7 == 0 ? null : "+41 79 " + (1000000 + i);
                originals.put(i, new String[] {email, phone});
                rows.add(new String[] {cipher.encryptString(email, "customer.email"),
                    phone == null ? null : cipher.encryptString(phone, "Customer.phone")});
            }
            plane.rotateCdk("test");
        }
        try (Connection c = s.host(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(600), phone VARCHAR(600),"
                    + " note VARCHAR(600))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, rows.get(i)[0]);
                    ps.setString(3, rows.get(i)[1]);
                    ps.setString(4, "note " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return originals;
    }

    private static Map<Integer, String[]> stored(Setup s, String table, String... columns) throws SQLException {
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        try (Connection c = s.host(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, " + String.join(", ", columns) + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                String[] v = new String[columns.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getString(i + 2);
                }
                rows.put(rs.getInt(1), v);
            }
        }
        return rows;
    }

    private static List<Cdk> cdks(Setup s) {
        try (ControlPlane plane = plane(s, Duration.ZERO)) {
            return plane.registry().list();
        }
    }

    private static CdkId active(Setup s) {
        return cdks(s).stream().filter(c -> c.status() == CdkStatus.ACTIVE).findFirst().orElseThrow().id();
    }

    private static String[] customerColumns() {
        return new String[] {"migrate", "--table", "customer", "--key", "id", "--column", "email:customer.email",
            "--column", "phone:Customer.phone", "--batch-size", "50"};
    }

    private static void assertNoPlaintext(Run r) {
        assertFalse(r.all().contains("@example.com"), r.all());
        assertFalse(r.all().contains("+41 79"), r.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void dryRun_printsValuesPerCdkWithStatus_changesNothing(String kind) throws Exception {
        Setup s = setup(kind);
        fill(s, EARLIER);
        Map<Integer, String[]> before = stored(s, "customer", "email", "phone");
        List<String> args = new ArrayList<>(List.of(customerColumns()));
        args.add("--dry-run");

        Run r = dataenc(s, args.toArray(String[]::new));

        assertEquals(0, r.code(), r.all());
        Map<CdkId, Integer> perCdk = new LinkedHashMap<>();
        before.values().forEach(v -> {
            for (String c : v) {
                if (c != null) {
                    perCdk.merge(PropertyCipher.cdkIdOf(c), 1, Integer::sum);
                }
            }
        });
        assertEquals(OLD_CDKS, perCdk.size());
        perCdk.forEach((id, n) -> assertTrue(r.out().contains(id + "  DECRYPT_ONLY  " + n), r.out()));
        assertTrue(r.out().contains("nulls:            " + (ROWS + 6) / 7), r.out());
        assertTrue(r.out().contains("already current:  0"), r.out());
        assertTrue(r.out().contains("would write:      " + perCdk.values().stream().mapToInt(i -> i).sum()), r.out());
        assertTrue(r.out().contains("dry run: nothing changed"), r.out());
        assertNoPlaintext(r);
        Map<Integer, String[]> after = stored(s, "customer", "email", "phone");
        before.forEach((id, v) -> assertArrayEquals(v, after.get(id)));
        assertTrue(dataenc(s, "status").out().contains("migrations:       none yet"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void run_migratesEverything_thenRetireCdksRetiresTheOldCdks_statusShowsIt(String kind) throws Exception {
        Setup s = setup(kind);
        Map<Integer, String[]> originals = fill(s, EARLIER);
        CdkId target = active(s);

        Run r = dataenc(s, customerColumns());

        assertEquals(0, r.code(), r.all());
        long values = originals.values().stream().mapToLong(v -> v[1] == null ? 1 : 2).sum();
        assertTrue(r.out().contains("COMPLETED migration"), r.out());
        assertTrue(r.out().contains("started; target ACTIVE CDK " + target), r.out());
        assertTrue(r.out().contains("records:          " + ROWS), r.out());
        assertTrue(r.out().contains("migrated:         " + values), r.out());
        assertTrue(r.out().contains("skipped:          0"), r.out());
        assertTrue(r.out().contains("values found under old CDKs"), r.out());
        assertTrue(r.out().contains("'dataenc retire-cdks"), r.out());
        assertTrue(r.err().contains("migrate 100% " + ROWS + "/" + ROWS + " records"), r.err());
        assertNoPlaintext(r);
        Map<Integer, String[]> after = stored(s, "customer", "email", "phone");
        try (ControlPlane plane = plane(s, Duration.ZERO)) {
            for (Map.Entry<Integer, String[]> e : after.entrySet()) {
                String[] want = originals.get(e.getKey());
                assertEquals(target, PropertyCipher.cdkIdOf(e.getValue()[0]));
                assertEquals(want[0], plane.propertyCipher().decryptString(e.getValue()[0], "customer.email"));
                assertEquals(want[1], e.getValue()[1] == null ? null
                        : plane.propertyCipher().decryptString(e.getValue()[1], "Customer.phone"));
            }
        }

        Run again = dataenc(s, customerColumns());
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("migrated:         0"), again.out());
        assertTrue(again.out().contains("skipped:          " + values), again.out());

        Run status = dataenc(s, "status");
        assertTrue(status.out().contains("migrations:"), status.out());
        assertTrue(status.out().contains("  COMPLETED "), status.out());
        assertTrue(status.out().contains("6/6 batches, " + ROWS + " records, 0 values migrated"), status.out());
        assertTrue(status.out().contains("values found under old CDKs by its scan: none"), status.out());

        Run retire = dataenc(s, "retire-cdks");
        assertEquals(0, retire.code(), retire.all());
        assertTrue(retire.out().contains("retired " + OLD_CDKS + " CDKs"), retire.out());
        assertEquals(OLD_CDKS, cdks(s).stream().filter(c -> c.status() == CdkStatus.RETIRED).count());
    }

    @Test
    void run_rightAfterTheRotation_retireCdksKeepsTheOldCdks_scanStartedTooEarly() throws Exception {
        Setup s = setup("h2");
        fill(s, Duration.ZERO);

        assertEquals(0, dataenc(s, customerColumns()).code());
        Run retire = dataenc(s, "retire-cdks");

        assertEquals(0, retire.code(), retire.all());
        assertTrue(retire.out().contains("retired 0 CDKs"), retire.out());
        assertTrue(retire.out().contains("before the CDK went out of use"), retire.out());
        assertEquals(0, cdks(s).stream().filter(c -> c.status() == CdkStatus.RETIRED).count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void encryptPlaintext_encryptsAPlaintextColumn_withoutTheFlagLeavesIt(String kind) throws Exception {
        Setup s = setup(kind);
        cdks(s); // the first ACTIVE CDK
        try (Connection c = s.host(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE person (id VARCHAR(20) PRIMARY KEY, name VARCHAR(600))");
            for (int i = 0; i < 40; i++) {
                st.execute("INSERT INTO person VALUES ('p" + i + "', " + (i == 3 ? "NULL" : "'Secret Name " + i + "'") + ")");
            }
        }
        String[] base = {"migrate", "--table", "person", "--key", "id", "--column", "name:Person.name"};

        Run dry = dataenc(s, base);
        List<String> flagged = new ArrayList<>(List.of(base));
        flagged.add("--encrypt-plaintext");
        Run run = dataenc(s, flagged.toArray(String[]::new));

        assertEquals(0, dry.code(), dry.all());
        assertTrue(dry.out().contains("plaintext:        39 (not encrypted; left alone; --encrypt-plaintext"), dry.out());
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("encrypted:        39 plaintext values"), run.out());
        assertFalse(dry.all().contains("Secret Name") || run.all().contains("Secret Name"), run.all());
        CdkId target = active(s);
        Map<Integer, String[]> unused = Map.of();
        try (ControlPlane plane = plane(s, Duration.ZERO); Connection c = s.host(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM person")) {
            int n = 0;
            while (rs.next()) {
                int i = Integer.parseInt(rs.getString(1).substring(1));
                if (i == 3) {
                    assertEquals(null, rs.getString(2));
                    continue;
                }
                assertEquals(target, PropertyCipher.cdkIdOf(rs.getString(2)));
                assertEquals("Secret Name " + i, plane.propertyCipher().decryptString(rs.getString(2), "Person.name"));
                n++;
            }
            assertEquals(39, n);
        }
        assertTrue(unused.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void badTable_exitsOne_oneLineNamingWhatExists(String kind) throws Exception {
        Setup s = setup(kind);
        fill(s, EARLIER);

        Run r = dataenc(s, "migrate", "--table", "custmer", "--key", "id", "--column", "email:customer.email");

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().startsWith("dataenc: table 'custmer' not found"), r.err());
        assertTrue(r.err().toLowerCase().contains("customer"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out().replaceAll("(?m)^host database:.*\\R", ""));
    }

    @Test
    void interruptedMigration_sameCommandResumesIt_andSaysSo() throws Exception {
        Setup s = setup("h2");
        Map<Integer, String[]> originals = fill(s, EARLIER);
        AtomicInteger done = new AtomicInteger();
        try (ControlPlane plane = plane(s, Duration.ZERO);
             JdbcRecordSource source = JdbcRecordSource.connect(s.hostUrl(), s.hostUser(), "").table("customer")
                     .key("id").column("email:customer.email").column("phone:Customer.phone").build()) {
            Migration crashing = new Migration(plane, Migration.Options.defaults().withCrash(point -> {
                if (point.equals("batch-done") && done.incrementAndGet() == 2) {
                    throw new IllegalStateException("killed after two batches");
                }
            }));
            assertThrows(IllegalStateException.class, () -> crashing.run(MigrationRequest.of(source).withBatchSize(50)));
        }
        Run status = dataenc(s, "status");
        assertTrue(status.out().contains("RUNNING   "), status.out());
        assertTrue(status.out().contains("2/6 batches, 100 records"), status.out());

        Run r = dataenc(s, customerColumns());

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("resuming:"), r.out());
        assertTrue(r.out().contains("2/6 batches done"), r.out());
        assertTrue(r.out().contains("resumed (an unfinished job"), r.out());
        assertTrue(r.out().contains("records:          " + ROWS), r.out());
        assertTrue(r.out().contains("this node:        " + (ROWS - 100) + " records in 4 batch(es)"), r.out());
        CdkId target = active(s);
        stored(s, "customer", "email").values().forEach(v -> assertEquals(target, PropertyCipher.cdkIdOf(v[0])));
        assertEquals(ROWS, originals.size());
    }

    @Test
    void onATerminal_drawsAProgressBarWithRecordsAndRate() throws Exception {
        Setup s = setup("h2");
        fill(s, EARLIER);
        List<String> full = new ArrayList<>(List.of(customerColumns()));
        full.addAll(List.of("--config", s.config().toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), true, full.toArray(String[]::new));

        assertEquals(0, code, out + err.toString());
        assertTrue(err.toString().contains("migrate"), err.toString());
        assertTrue(err.toString().contains(ROWS + "/" + ROWS + " records"), err.toString());
        assertTrue(err.toString().contains("records/s"), err.toString());
    }

    @Test
    void usage_missingTableOrBadBatchSize_exitsTwo_unsetPasswordVariable_exitsOne() throws Exception {
        Setup s = setup("h2");

        Run missing = dataenc(s, "migrate", "--key", "id", "--column", "email:c");
        Run batch = dataenc(s, "migrate", "--table", "t", "--key", "id", "--column", "email:c", "--batch-size", "0");
        Run env = dataenc(s, "migrate", "--table", "t", "--key", "id", "--column", "email:c", "--db-url",
                "jdbc:h2:mem:x", "--db-password-env", "DATAENC_TEST_SURELY_UNSET_VARIABLE");

        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("--table"), missing.err());
        assertEquals(2, batch.code(), batch.all());
        assertEquals(1, env.code(), env.all());
        assertTrue(env.err().contains("DATAENC_TEST_SURELY_UNSET_VARIABLE"), env.err());
        assertNotEquals("", env.err());
    }
}
