package dev.dataenc.cli;

import dev.dataenc.testing.KeystoreFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DecryptionFailedException;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin paths of issue 10 that lost or stranded data, end to end through the CLI on a real {@code local}
 * keystore with the registry and host table in H2 or PostgreSQL: a wrong migration context, BLOB usage, scan
 * evidence from an unrelated table, a mistaken source. Each ends with no data lost and a message that says
 * what to do.
 */
class DataLossScenariosTest {

    private static final int ROWS = 40;
    /** The application wrote and rotated this long ago, so its CDKs went out of use before any migration. */
    private static final Duration EARLIER = Duration.ofMinutes(-10);
    private static final String APP_CONTEXT = "Customer.email";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private record Setup(Path config, String hostUrl, String hostUser, List<String> dbOptions) {
        Connection host() throws SQLException {
            return DriverManager.getConnection(hostUrl, hostUser, "");
        }
    }

    private Setup setup(String kind) throws Exception {
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

    private Run dataenc(Setup s, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--config", s.config().toString()));
        if (args[0].equals("migrate") && (args.length < 2 || !args[1].equals("forget"))) {
            full.addAll(s.dbOptions());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The application's view, on a clock moved by {@code offset}; with an ACTIVE CDK. */
    private static ControlPlane app(Setup s, Duration offset) {
        ControlPlane plane = ControlPlane.open(ConfigLoader.load(s.config()), ControlPlane.Options.admin("app")
                .withClock(Clock.offset(Clock.systemUTC(), offset)));
        if (plane.registry().findActive().isEmpty()) {
            plane.rotateCdk("first CDK");
        }
        return plane;
    }

    /** customer(id, email): {@code rows} emails, encrypted by the application under {@code context} unless plaintext. */
    private static void customer(Setup s, int rows, String context) throws Exception {
        List<String> values = new ArrayList<>();
        try (ControlPlane plane = app(s, EARLIER)) {
            for (int i = 0; i < rows; i++) {
                String email = "user" + i + "@example.com";
                values.add(context == null ? email : plane.propertyCipher().encryptString(email, context));
            }
            if (context != null) {
                plane.rotateCdk("test");
            }
        }
        insert(s, "customer", values);
    }

    private static void insert(Setup s, String table, List<String> values) throws SQLException {
        try (Connection c = s.host(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, email VARCHAR(600))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setInt(1, i);
                    ps.setString(2, values.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static Map<Integer, String> stored(Setup s, String table) throws SQLException {
        Map<Integer, String> rows = new LinkedHashMap<>();
        try (Connection c = s.host(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, email FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    /** Every value of customer decrypts, with the application's context, to what the application wrote. */
    private static void assertAppReadsEverything(Setup s) throws SQLException {
        try (ControlPlane plane = app(s, Duration.ZERO)) {
            stored(s, "customer").forEach((id, v) -> assertEquals("user" + id + "@example.com",
                    plane.propertyCipher().decryptString(v, APP_CONTEXT)));
        }
    }

    private static String[] migrate(String table, String column, String... more) {
        List<String> args = new ArrayList<>(List.of("migrate", "--table", table, "--key", "id", "--column", column));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static long audited(Setup s, AuditAction action) {
        try (ControlPlane plane = app(s, Duration.ZERO)) {
            return plane.audit().byAction(action).size();
        }
    }

    private static CdkStatus status(Setup s, CdkId id) {
        try (ControlPlane plane = app(s, Duration.ZERO)) {
            return plane.registry().find(id).orElseThrow().status();
        }
    }

    private static CdkId firstOldCdk(Setup s) throws SQLException {
        return PropertyCipher.cdkIdOf(stored(s, "customer").get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void wrongContext_onEncryptedValues_refusedBeforeAnythingIsWritten_exitOne_thenTheRightOneMigrates(String kind)
            throws Exception {
        Setup s = setup(kind);
        customer(s, ROWS, APP_CONTEXT);
        Map<Integer, String> before = stored(s, "customer");

        Run wrong = dataenc(s, migrate("customer", "email:customer.email"));

        assertEquals(1, wrong.code(), wrong.all());
        assertTrue(wrong.err().contains("values under CDK " + firstOldCdk(s) + " in column '" + columnName(kind)
                + "' do not decrypt with context 'customer.email'"), wrong.err());
        assertTrue(wrong.err().contains("the application may use another context") && wrong.err().contains("--from-context"),
                wrong.err());
        assertTrue(wrong.err().contains("nothing was written"), wrong.err());
        assertEquals(before, stored(s, "customer"), "nothing written");
        assertEquals(0, audited(s, AuditAction.MIGRATION_STARTED), "no job was created");
        Run dry = dataenc(s, migrate("customer", "email:customer.email", "--dry-run"));
        assertEquals(1, dry.code(), dry.all());
        assertTrue(dry.out().contains("context check:    FAILED"), dry.out());

        Run right = dataenc(s, migrate("customer", "email:" + APP_CONTEXT));

        assertEquals(0, right.code(), right.all());
        assertTrue(right.out().contains("migrated:         " + ROWS), right.out());
        assertAppReadsEverything(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void encryptPlaintextUnderAWrongContext_rightContextRefusedWithDiagnosis_fromContextRebinds_noDataLost(String kind)
            throws Exception {
        Setup s = setup(kind);
        app(s, EARLIER).close();
        customer(s, ROWS, null);

        Run first = dataenc(s, migrate("customer", "email:customer.email", "--encrypt-plaintext"));
        assertEquals(0, first.code(), first.all());
        assertTrue(first.out().contains("-> context 'customer.email'"), first.out());
        assertTrue(first.out().contains("a wrong context cannot be detected"), first.out());
        try (ControlPlane plane = app(s, Duration.ZERO)) {
            String v = stored(s, "customer").get(1);
            assertThrows(DecryptionFailedException.class, () -> plane.propertyCipher().decryptString(v, APP_CONTEXT),
                    "what the issue reported: the application cannot read them");
        }
        Map<Integer, String> bound = stored(s, "customer");

        Run again = dataenc(s, migrate("customer", "email:" + APP_CONTEXT));

        assertEquals(1, again.code(), again.all());
        assertTrue(again.err().contains("do not decrypt with context '" + APP_CONTEXT + "'"), again.err());
        assertTrue(again.err().contains("--from-context"), again.err());
        assertEquals(bound, stored(s, "customer"), "refused: nothing written");

        Run rebind = dataenc(s, migrate("customer", "email:" + APP_CONTEXT, "--from-context", "customer.email"));

        assertEquals(0, rebind.code(), rebind.all());
        assertTrue(rebind.out().contains("re-binding values encrypted under context 'customer.email'"), rebind.out());
        assertTrue(rebind.out().contains("migrated:         " + ROWS), rebind.out());
        assertTrue(rebind.out().contains("unreadable:       0"), rebind.out());
        assertAppReadsEverything(s);
        assertFalse(rebind.all().contains("@example.com"), "never a value in the output");
    }

    @Test
    void isolatedUnreadableValues_exitOne_summarySaysReRunningChangesNothing_andHowToFix() throws Exception {
        Setup s = setup("h2");
        List<String> values = new ArrayList<>();
        try (ControlPlane plane = app(s, EARLIER)) {
            for (int i = 0; i < ROWS; i++) {
                values.add(plane.propertyCipher().encryptString("user" + i + "@example.com",
                        i == 7 || i == 23 ? "Invoice.email" : APP_CONTEXT));
            }
            plane.rotateCdk("test");
        }
        insert(s, "customer", values);

        Run r = dataenc(s, migrate("customer", "email:" + APP_CONTEXT));
        Run again = dataenc(s, migrate("customer", "email:" + APP_CONTEXT));

        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("migrated:         " + (ROWS - 2)), r.all());
        assertTrue(r.out().contains("NOT DONE"), r.out());
        assertTrue(r.out().contains("unreadable: 2 value(s) were left as they are, and running this command again"
                + " changes nothing for them"), r.out());
        assertTrue(r.out().contains("--from-context <that context>"), r.out());
        assertFalse(r.out().contains("run this command again: it migrates them"), r.out());
        assertEquals(1, again.code(), again.all());
        assertEquals(values.get(7), stored(s, "customer").get(7), "left as it was, not lost");
        Run retire = dataenc(s, "retire-cdks");
        assertTrue(retire.out().contains("retired 0 CDKs"), retire.out());
        assertTrue(retire.out().contains("2 value(s) in '"), retire.out());
    }

    @Test
    void columnWithoutContext_exitsTwo_registryTables_refusedExitOne() throws Exception {
        Setup s = setup("h2");
        customer(s, 3, APP_CONTEXT);

        Run noContext = dataenc(s, migrate("customer", "email"));
        Run emptyContext = dataenc(s, migrate("customer", "email:"));
        Run registryTable = dataenc(s, "migrate", "--table", "dataenc_cdk", "--key", "id", "--column", "status:x");
        Run flywayTable = dataenc(s, "migrate", "--table", "dataenc_schema_history", "--key", "installed_rank",
                "--column", "description:x");
        Run twoColumnsRebind = dataenc(s, "migrate", "--table", "customer", "--key", "id", "--column", "email:a",
                "--column", "email2:b", "--from-context", "c");

        assertEquals(2, noContext.code(), noContext.all());
        assertTrue(noContext.err().contains("write <column>:<context>"), noContext.err());
        assertEquals(2, emptyContext.code(), emptyContext.all());
        assertEquals(1, registryTable.code(), registryTable.all());
        assertTrue(registryTable.err().contains("is one of the CDK registry's own tables"), registryTable.err());
        assertEquals(1, flywayTable.code(), flywayTable.all());
        assertTrue(flywayTable.err().contains("is one of the CDK registry's own tables"), flywayTable.err());
        assertEquals(2, twoColumnsRebind.code(), twoColumnsRebind.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void unrelatedEmptyTableScanned_isNoEvidence_retireKeepsTheCdkSayingWhy_migratingTheRealTableRetiresIt(String kind)
            throws Exception {
        Setup s = setup(kind);
        customer(s, ROWS, APP_CONTEXT);
        CdkId old = firstOldCdk(s);
        insert(s, "other", List.of());

        Run unrelated = dataenc(s, migrate("other", "email:Other.email"));
        Run retire = dataenc(s, "retire-cdks");

        assertEquals(0, unrelated.code(), unrelated.all());
        assertEquals(0, retire.code(), retire.all());
        assertTrue(retire.out().contains("retired 0 CDKs"), retire.out());
        assertTrue(retire.out().contains(old + ": its usage counters record " + ROWS + " property value(s) encrypted"
                + " under it, but no migrated source was ever found holding a value under it"), retire.out());
        assertTrue(retire.out().contains("dataenc migrate --table <table>"), retire.out());
        assertEquals(CdkStatus.DECRYPT_ONLY, status(s, old));

        assertEquals(0, dataenc(s, migrate("customer", "email:" + APP_CONTEXT)).code());
        Run retired = dataenc(s, "retire-cdks");

        assertTrue(retired.out().contains("retired 1 CDK: " + old), retired.out());
        assertAppReadsEverything(s);
    }

    @Test
    void blobUsage_retireKeepsItSayingWhatToDo_destroyRefused_attestationWithReasonRetiresIt_audited() throws Exception {
        Setup s = setup("h2");
        byte[] blob;
        try (ControlPlane plane = app(s, EARLIER)) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            plane.blobCipher().encrypt(new ByteArrayInputStream("contract".getBytes(StandardCharsets.UTF_8)), sink,
                    "Contract.pdf");
            blob = sink.toByteArray();
        }
        customer(s, ROWS, APP_CONTEXT);
        CdkId old = firstOldCdk(s);
        assertEquals(0, dataenc(s, migrate("customer", "email:" + APP_CONTEXT)).code());

        Run kept = dataenc(s, "retire-cdks");

        assertTrue(kept.out().contains("retired 0 CDKs"), kept.out());
        assertTrue(kept.out().contains(old + ": its usage counters record 1 BLOB(s) encrypted under it"), kept.out());
        assertTrue(kept.out().contains("dataenc retire-cdks --attest-no-blobs " + old + " --reason"), kept.out());
        Run destroy = dataenc(s, "destroy-cdk", old.toString(), "--yes-destroy-data-encrypted-under-it");
        assertEquals(1, destroy.code(), destroy.all());
        try (ControlPlane plane = app(s, Duration.ZERO)) {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            plane.blobCipher().decrypt(new ByteArrayInputStream(blob), plain, "Contract.pdf");
            assertEquals("contract", plain.toString(StandardCharsets.UTF_8), "the BLOB is not lost");
        }
        Run noReason = dataenc(s, "retire-cdks", "--attest-no-blobs", old.toString());
        assertEquals(2, noReason.code(), noReason.all());

        Run attested = dataenc(s, "retire-cdks", "--attest-no-blobs", old.toString(), "--reason",
                "contract archive deleted, ticket OPS-12");

        assertEquals(0, attested.code(), attested.all());
        assertTrue(attested.out().contains("recorded (audited as CDK_ATTESTED)"), attested.out());
        assertTrue(attested.out().contains("retired 1 CDK: " + old), attested.out());
        assertTrue(dataenc(s, "audit").out().contains("ticket OPS-12"));
    }

    @Test
    void mistakenSourceStillReferencingTheCdk_blocksRetirement_untilForgotten_audited() throws Exception {
        Setup s = setup("h2");
        List<String> archive = new ArrayList<>();
        try (ControlPlane plane = app(s, EARLIER)) {
            for (int i = 0; i < 4; i++) {
                archive.add(plane.propertyCipher().encryptString("junk" + i, i == 0 ? "Junk.ctx" : "Archive.note"));
            }
        }
        customer(s, ROWS, APP_CONTEXT);
        insert(s, "archive", archive);
        CdkId old = firstOldCdk(s);
        assertEquals(0, dataenc(s, migrate("customer", "email:" + APP_CONTEXT)).code());
        assertEquals(1, dataenc(s, migrate("archive", "email:Archive.note")).code(), "1 value left unreadable");
        Run blocked = dataenc(s, "retire-cdks");
        assertTrue(blocked.out().contains("retired 0 CDKs"), blocked.out());
        assertTrue(blocked.out().contains("1 value(s) in '"), blocked.out());

        Run unknown = dataenc(s, "migrate", "forget", "--table", "nosuch");
        Run forget = dataenc(s, "migrate", "forget", "--table", "archive", "--reason", "junk rows, not application data");

        assertEquals(1, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("no migrated source matches --table nosuch"), unknown.err());
        assertEquals(0, forget.code(), forget.all());
        assertTrue(forget.out().contains("forgot source ") && forget.out().contains("ARCHIVE"), forget.out());
        assertEquals(1, audited(s, AuditAction.MIGRATION_SOURCE_FORGOTTEN));
        Run retire = dataenc(s, "retire-cdks");
        assertTrue(retire.out().contains("retired 1 CDK: " + old), retire.out());
        assertAppReadsEverything(s);
    }

    private static String columnName(String kind) {
        return kind.equals("postgres") ? "email" : "EMAIL";
    }
}
