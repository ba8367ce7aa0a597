package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.KeystoreFiles;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Control planes over a real {@code local} keystore with an H2 or PostgreSQL registry, and host tables
 * of encrypted values in a separate host database (H2 file or PostgreSQL).
 */
final class MigrationFixture {

    static final String PASSWORD = "fixture-password";

    private MigrationFixture() {
    }

    /** Where the registry and the host table live. */
    record Databases(RegistrySettings registry, String hostUrl, String hostUser) {

        Connection host() throws SQLException {
            return DriverManager.getConnection(hostUrl, hostUser, "");
        }

        JdbcRecordSource.Builder source() {
            return JdbcRecordSource.connect(hostUrl, hostUser, "");
        }
    }

    /** Registry and host database in H2 files under {@code dir}. */
    static Databases h2(Path dir) {
        return new Databases(new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", ""),
                "jdbc:h2:file:" + dir.toAbsolutePath().resolve("host") + ";WRITE_DELAY=0", "sa");
    }

    /** Registry and host database on the test PostgreSQL server (the test is skipped without one). */
    static Databases postgres() throws SQLException {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        return new Databases(new RegistrySettings(pg.newDatabase(), pg.user(), ""), pg.newDatabase(), pg.user());
    }

    static Databases databases(String kind, Path dir) throws SQLException {
        return kind.equals("postgres") ? postgres() : h2(dir);
    }

    static KeystoreSettings local(Path dir, String name) {
        return KeystoreFiles.provide(KeystoreSettings.of(name, "local", Map.of("path", dir.resolve(name + ".p12").toString(),
                "password", PASSWORD, "master-key", "mk-" + name)));
    }

    static DataEncConfig config(RegistrySettings registry, KeystoreSettings active, KeystoreSettings... others) {
        Map<String, KeystoreSettings> map = new LinkedHashMap<>();
        map.put(active.name(), active);
        for (KeystoreSettings k : others) {
            map.put(k.name(), k);
        }
        return new DataEncConfig(null, CipherType.ofKeystoreType(active.type()), active.name(), map, registry,
                CacheLimits.defaults(), RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    static ControlPlane.Options options(String tool) {
        return new ControlPlane.Options(tool, CrashPoint.NONE, SwitchProgress.NONE, Duration.ofSeconds(60), true);
    }

    static ControlPlane open(Path dir, Databases dbs, String tool) {
        return ControlPlane.open(config(dbs.registry(), local(dir, "a")), options(tool));
    }

    /** A host table {@code customer(id INT PRIMARY KEY, email VARCHAR(600), phone VARCHAR(600))}. */
    static void createCustomer(Databases dbs) throws SQLException {
        try (Connection c = dbs.host(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(600), phone VARCHAR(600), note VARCHAR(20))");
        }
    }

    /**
     * Fills customer with {@code rows} records whose values are encrypted under {@code cdks} CDKs in turn
     * (rotating in between), with a NULL every {@code nullEvery}-th value; then rotates once more so that
     * all of them are old. Returns id -> [email, phone] plaintexts (null for NULL).
     */
    static Map<Integer, String[]> fill(ControlPlane plane, Databases dbs, int rows, int cdks, int nullEvery)
            throws SQLException {
        Map<Integer, String[]> originals = new LinkedHashMap<>();
        List<String[]> cipher = new ArrayList<>();
        int perCdk = (rows + cdks - 1) / cdks;
        for (int i = 0; i < rows; i++) {
            if (i > 0 && i % perCdk == 0) {
                plane.rotateCdk("test");
            }
            String email = (i * 2) % nullEvery == 0 ? null : "user" + i + "@example.com";
            String phone = (i * 2 + 1) % nullEvery == 0 ? null : "+41 79 " + (1000000 + i);
            originals.put(i, new String[] {email, phone});
            cipher.add(new String[] {email == null ? null : plane.propertyCipher().encryptString(email, "customer.email"),
                phone == null ? null : plane.propertyCipher().encryptString(phone, "Customer.phone")});
        }
        plane.rotateCdk("test");
        try (Connection c = dbs.host();
             PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, email, phone) VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                s.setInt(1, i);
                s.setString(2, cipher.get(i)[0]);
                s.setString(3, cipher.get(i)[1]);
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        }
        return originals;
    }

    /** The customer table as id -> [email, phone] as stored. */
    static Map<Integer, String[]> stored(Databases dbs) throws SQLException {
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        try (Connection c = dbs.host(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email, phone FROM customer ORDER BY id")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return rows;
    }

    static JdbcRecordSource customerSource(Databases dbs) {
        return dbs.source().table("customer").key("id").column("email:customer.email").column("phone:Customer.phone").build();
    }

    static CdkId cdkOf(String ciphertext) {
        return PropertyCipher.cdkIdOf(ciphertext);
    }
}
