package dev.dataenc.cli;

import dev.dataenc.testing.KeystoreFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.testing.PostgresServer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Looking never changes anything: every read-only command (status, verify, audit, policy show, cipher-transition
 * status and the dry runs) leaves the work directory (every file's bytes) and the registry (every row of every
 * table) exactly as they were; on a registry that does not exist or was never initialised it says so, exits 1
 * and creates nothing. Real H2 and PostgreSQL, real {@code local} keystores, a real configuration file.
 */
class LookingChangesNothingTest {

    private static final String PASSWORD = "looking-password";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run dataenc(Path config, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--config", config.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String extra) throws IOException {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=a\n");
        for (String ks : new String[] {"a", "b"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(ks).append(".p12\n")
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(PASSWORD).append('\n');
        }
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, sb + extra, StandardCharsets.UTF_8);
        return KeystoreFiles.provideAll(file);
    }

    /** The commands that only look, each with what it must print (so a failure to run is not mistaken for "nothing changed"). */
    private static final List<List<String>> LOOKING = List.of(
            List.of("status", "active keystore:  b"),
            List.of("verify", "checked"),
            List.of("audit", "SWITCH_COMPLETED"),
            List.of("policy", "show", "rotation policy:"),
            List.of("switch", "a", "--dry-run", "dry run: nothing changed"),
            List.of("remove-wrappings", "a", "--dry-run", "dry run: nothing changed"),
            List.of("retire-cdks", "--dry-run", "dry run: nothing changed"),
            List.of("migrate", "--table", "person", "--key", "id", "--column", "name:Person.name", "--dry-run",
                    "dry run:"),
            List.of("cipher-transition", "status", ""));

    @Test
    void everyReadOnlyCommand_onASetUpWorkDir_leavesFilesAndRegistryByteForByteUnchanged() throws Exception {
        Path file = config("");
        try (ControlPlane app = ControlPlane.open(ConfigLoader.load(file), ControlPlane.Options.app())) {
            try (Connection c = app.database().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE person (id INT PRIMARY KEY, name VARCHAR(600))");
                for (int i = 0; i < 5; i++) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO person VALUES (?, ?)")) {
                        ps.setInt(1, i);
                        ps.setString(2, app.propertyCipher().encryptString("name " + i, "Person.name"));
                        ps.executeUpdate();
                    }
                }
            }
            app.rotateCdk("test");
        }
        assertEquals(0, dataenc(file, "switch", "b").code());
        String url = ConfigLoader.load(file).registry().url();

        Map<String, String> filesBefore = files();
        String registryBefore = dump(url, "");

        for (List<String> command : LOOKING) {
            Run r = dataenc(file, command.subList(0, command.size() - 1).toArray(String[]::new));
            assertEquals(0, r.code(), command + ": " + r.out() + r.err());
            assertTrue(r.out().contains(command.get(command.size() - 1)), command + ": " + r.out());
        }

        // embedded H2 rewrites its store header whenever it is opened, so the registry file is compared by content
        assertEquals(registryBefore, dump(url, ""), "no registry row created, changed or removed");
        filesBefore.remove("registry.mv.db");
        Map<String, String> filesAfter = files();
        filesAfter.remove("registry.mv.db");
        assertEquals(filesBefore, filesAfter, "no file created, changed or removed (keystores, configuration)");
    }

    @Test
    void readOnlyCommands_onAMissingH2Registry_sayNotInitialised_exit1_createNothing() throws Exception {
        Path file = config("");
        Map<String, String> before = files();

        for (String cmd : List.of("status", "verify", "audit")) {
            Run r = dataenc(file, cmd);
            assertEquals(1, r.code(), cmd + ": " + r.out() + r.err());
            assertTrue(r.err().contains("is not initialised (the database does not exist); nothing was created"), r.err());
        }
        assertEquals(before, files());
    }

    @Test
    void readOnlyCommands_onAnEmptyPostgresDatabase_sayNotInitialised_exit1_createNoTable() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        String url = pg.newDatabase();
        Path file = config("dataenc.registry.url=" + url + "\ndataenc.registry.user=" + pg.user() + "\n");

        for (String cmd : List.of("status", "verify", "audit")) {
            Run r = dataenc(file, cmd);
            assertEquals(1, r.code(), cmd + ": " + r.out() + r.err());
            assertTrue(r.err().contains("is not initialised (the database has no registry tables)"), r.err());
        }
        assertEquals("", dump(url, pg.user()), "no table was created");
    }

    /** Every file under the work directory: relative path to SHA-256 of its bytes. */
    private Map<String, String> files() throws IOException, NoSuchAlgorithmException {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                result.put(dir.relativize(p).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
            }
        }
        return result;
    }

    /** Every row of every table in the database's default schema, in key order, as text. */
    private static String dump(String url, String user) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url + (url.startsWith("jdbc:h2:") ? ";IFEXISTS=TRUE;TRACE_LEVEL_FILE=0" : ""),
                user, "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema != null && (schema.equalsIgnoreCase("public"))) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            tables.sort(null);
            for (String t : tables) {
                sb.append("== ").append(t).append('\n');
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY 1")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }
}
