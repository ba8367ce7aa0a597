package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.cluster.RegistryNotInitializedException;
import dev.dataenc.control.cluster.RegistryPresence;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.KeystoreFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start whose active keystore cannot be opened records nothing: the registry's initial state (active keystore,
 * cipher type, rotation policy) and its audit entry come from the first start that can use them, and a missing
 * embedded registry is not even created.
 */
class FailedFirstStartTest {

    @TempDir
    Path dir;

    private static KeystoreSettings missing(Path dir, String name) {
        return KeystoreSettings.of(name, "local", Map.of("path", dir.resolve(name + ".p12").toString(),
                "password", ControlFixture.PASSWORD, "master-key", "mk-" + name));
    }

    @Test
    void missingEmbeddedRegistry_activeKeystoreMissing_nothingCreated() {
        Path base = dir.resolve("var/lib/app/dataenc");
        DataEncConfig config = ControlFixture.config(base, "primary", missing(base, "primary"));

        DataEncException e = assertThrows(DataEncException.class,
                () -> ControlPlane.open(config, ControlFixture.options()).close());
        assertTrue(e.getMessage().contains("keystore 'primary'"), e.getMessage());

        assertFalse(Files.exists(dir.resolve("var")), "a failed first start created " + base);
    }

    @Test
    void applicationDataSource_activeKeystoreMissing_noSchemaCreated_nextGoodStartCreatesIt() throws Exception {
        JdbcDataSource app = new JdbcDataSource();
        app.setURL("jdbc:h2:" + dir.resolve("app").toAbsolutePath() + ";TRACE_LEVEL_FILE=0");
        app.setUser("sa");
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(200))");
        }
        RegistrySettings unused = new RegistrySettings(RegistryDatabase.h2Url(dir.resolve("unused")), "sa", "");
        DataEncConfig broken = ControlFixture.config(unused, "primary", missing(dir, "primary"));

        DataEncException e = assertThrows(KeystoreUnavailableException.class,
                () -> DataEncService.start(broken, app).close());
        assertTrue(e.getMessage().contains("keystore 'primary'"), e.getMessage());
        assertEquals(List.of("CUSTOMER"), tables(app), "a failed first start changed the application's database");
        assertThrows(RegistryNotInitializedException.class,
                () -> RegistryPresence.requireInitialized(app, "application DataSource"));

        DataEncConfig good = ControlFixture.config(unused, "primary",
                KeystoreFiles.provide(missing(dir, "primary")));
        try (DataEncService service = DataEncService.start(good, app)) {
            assertEquals("primary", service.controlPlane().jobs().state().orElseThrow().activeKeystore());
        }
        assertTrue(tables(app).contains("DATAENC_CONTROL"), tables(app).toString());
        RegistryPresence.requireInitialized(app, "application DataSource");
        assertFalse(Files.exists(dir.resolve("unused")), "config.registry() is not used with an application DataSource");
    }

    private static List<String> tables(DataSource ds) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = 'PUBLIC' ORDER BY table_name")) {
            while (rs.next()) {
                names.add(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    @Test
    void uninitialisedRegistry_activeKeystoreMissing_noStateRecorded_nextGoodStartRecordsItsOwn() {
        RegistrySettings registry = new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", "");
        RegistryDatabase.open(registry.url(), registry.user(), registry.password()).close(); // schema, no state
        DataEncConfig broken = ControlFixture.config(registry, "primary", missing(dir, "primary"));

        // through the application's own database as well as by URL
        assertThrows(KeystoreUnavailableException.class, () -> ControlPlane.open(broken,
                RegistryDatabase.open(registry.url(), registry.user(), registry.password()), ControlFixture.options()).close());
        assertThrows(KeystoreUnavailableException.class, () -> ControlPlane.open(broken, ControlFixture.options()).close());
        assertThrows(RegistryNotInitializedException.class, () -> RegistryPresence.requireInitialized(registry));

        KeystoreSettings secondary = KeystoreFiles.provide(missing(dir, "secondary"));
        RotationPolicy policy = new RotationPolicy(Duration.ofDays(30), RotationPolicy.defaults().maxMessages());
        DataEncConfig base = ControlFixture.config(registry, "secondary", missing(dir, "primary"), secondary);
        DataEncConfig good = new DataEncConfig(null, base.cipherType(), "secondary", base.keystores(), registry,
                base.cache(), policy, base.reloadInterval(), base.switchLease(), base.cluster());
        try (ControlPlane plane = ControlPlane.open(good, ControlFixture.options())) {
            assertEquals("secondary", plane.jobs().state().orElseThrow().activeKeystore());
            assertEquals(policy, plane.rotationPolicyInForce());
            var initialised = plane.audit().byAction(AuditAction.CONTROL_INITIALIZED);
            assertEquals(1, initialised.size());
            assertTrue(initialised.get(0).detail().contains("'secondary'"), initialised.get(0).detail());
            assertTrue(initialised.get(0).detail().contains("30"), initialised.get(0).detail());
        }
    }
}
