package dev.dataenc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening an H2 registry whose schema history already shows every bundled migration skips Flyway; every other
 * history (one version behind, altered, failed, newer) goes through Flyway as before.
 */
class SchemaSkipTest {

    @TempDir
    Path dir;

    @Test
    void newRegistry_runsFlyway_andARestart_skipsIt() {
        try (RegistryDatabase db = open()) {
            assertTrue(db.flywayRan());
        }
        try (RegistryDatabase db = open()) {
            assertFalse(db.flywayRan());
            assertEquals(BundledMigrations.ALL.size(), count(db, "SELECT COUNT(*) FROM \"dataenc_schema_history\""
                    + " WHERE \"type\" = 'SQL'"));
            new JdbcCdkRegistry(db).findActive(); // the schema is usable
        }
    }

    @Test
    void registryOneVersionBehind_isMigrated() {
        try (RegistryDatabase db = open()) {
            update(db, "ALTER TABLE dataenc_migration_prescan DROP COLUMN blob_count");
            update(db, "ALTER TABLE dataenc_migration_refs DROP COLUMN blob_count");
            update(db, "DELETE FROM \"dataenc_schema_history\" WHERE \"version\" = '12'");
        }
        try (RegistryDatabase db = open()) {
            assertTrue(db.flywayRan());
            assertEquals(0, count(db, "SELECT COUNT(blob_count) FROM dataenc_migration_refs"));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM \"dataenc_schema_history\" WHERE \"version\" = '12'"
                    + " AND \"success\""));
        }
        try (RegistryDatabase db = open()) {
            assertFalse(db.flywayRan());
        }
    }

    @Test
    void alteredChecksum_goesToFlyway_whichRefusesTheRegistry() {
        tamper("UPDATE \"dataenc_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '5'");
        RegistryException e = assertThrows(RegistryException.class, this::open);
        assertTrue(e.getMessage().contains("cannot migrate the CDK registry schema"), e.getMessage());
    }

    @Test
    void failedMigrationInTheHistory_goesToFlyway_whichRefusesTheRegistry() {
        tamper("UPDATE \"dataenc_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '12'");
        assertThrows(RegistryException.class, this::open);
    }

    @Test
    void alteredDescription_goesToFlyway_whichRefusesTheRegistry() {
        tamper("UPDATE \"dataenc_schema_history\" SET \"description\" = 'other' WHERE \"version\" = '3'");
        assertThrows(RegistryException.class, this::open);
    }

    @Test
    void newerVersionInTheHistory_goesToFlyway() {
        tamper("INSERT INTO \"dataenc_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\","
                + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (100, '99',"
                + " 'from a newer dataenc', 'SQL', 'V99__from_a_newer_dataenc.sql', 1, 'sa', 1, TRUE)");
        try (RegistryDatabase db = open()) {
            assertTrue(db.flywayRan()); // Flyway decides (it ignores future migrations, as before this check)
        }
    }

    @Test
    void missingHistoryRow_goesToFlyway() {
        tamper("DELETE FROM \"dataenc_schema_history\" WHERE \"version\" = '4'");
        assertThrows(RegistryException.class, this::open); // Flyway: V4 resolved but not applied, V5+ applied
    }

    @Test
    void applicationDatabaseWithItsOwnTables_isBaselinedThenMigrated_andARestartSkipsFlyway() throws Exception {
        org.h2.jdbcx.JdbcDataSource app = new org.h2.jdbcx.JdbcDataSource();
        app.setURL("jdbc:h2:file:" + dir.resolve("app").toAbsolutePath() + ";WRITE_DELAY=0");
        app.setUser("sa");
        try (java.sql.Connection keepOpen = app.getConnection(); Statement s = keepOpen.createStatement()) {
            s.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, email VARCHAR(200))");
            try (RegistryDatabase db = RegistryDatabase.over(app, "application DataSource")) {
                assertTrue(db.flywayRan());
                assertEquals(1, count(db, "SELECT COUNT(*) FROM \"dataenc_schema_history\" WHERE \"type\" = 'BASELINE'"));
            }
            keepOpen.setAutoCommit(false); // a pool's connections may come with auto-commit off: given back as they were
            try (RegistryDatabase db = RegistryDatabase.over(new OneConnection(app, keepOpen), "application DataSource")) {
                assertFalse(db.flywayRan());
                assertFalse(keepOpen.getAutoCommit());
            }
        }
    }

    /** An application's data source that always hands out the same connection (closing it does nothing). */
    private record OneConnection(javax.sql.DataSource delegate, java.sql.Connection connection)
            implements javax.sql.DataSource {
        @Override
        public java.sql.Connection getConnection() {
            return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) ->
                            method.getName().equals("close") ? null : invoke(method, args));
        }

        private Object invoke(java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(connection, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) {
            return getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws java.sql.SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws java.sql.SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws java.sql.SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws java.sql.SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws java.sql.SQLException {
            return delegate.isWrapperFor(iface);
        }
    }

    private void tamper(String sql) {
        try (RegistryDatabase db = open()) {
            update(db, sql);
        }
    }

    private RegistryDatabase open() {
        return RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
    }

    private static void update(RegistryDatabase db, String sql) {
        db.write("tamper", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            }
        });
    }

    private static long count(RegistryDatabase db, String sql) {
        return db.read("count", c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        });
    }
}
