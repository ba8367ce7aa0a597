package dev.dataenc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.testing.PostgresServer;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Flyway skip on a real PostgreSQL server: a current registry is opened without Flyway; one a version behind
 * is migrated, also when several nodes open it at the same moment (each its own URL, so that only PostgreSQL,
 * through Flyway's lock, orders them).
 */
class PostgresSchemaSkipTest {

    private PostgresServer pg;
    private String url;

    @BeforeEach
    void newDatabase() throws Exception {
        pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        url = pg.newDatabase();
    }

    @Test
    void currentRegistry_opensWithoutFlyway() {
        try (RegistryDatabase db = open()) {
            assertEquals(true, db.flywayRan());
        }
        try (RegistryDatabase db = open()) {
            assertFalse(db.flywayRan());
            new JdbcCdkRegistry(db).findActive();
        }
    }

    @Test
    void registryOneVersionBehind_openedByThreeNodesAtOnce_isMigratedOnce() throws Exception {
        try (RegistryDatabase db = open()) {
            db.write("go back one version", c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE dataenc_migration_prescan DROP COLUMN blob_count");
                    s.executeUpdate("ALTER TABLE dataenc_migration_refs DROP COLUMN blob_count");
                    return s.executeUpdate("DELETE FROM \"dataenc_schema_history\" WHERE \"version\" = '12'");
                }
            });
        }
        ExecutorService nodes = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RegistryDatabase>> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String node = url + "?ApplicationName=node" + i; // another URL: not serialised by this JVM's lock
                opened.add(nodes.submit(() -> {
                    go.await();
                    return RegistryDatabase.open(node, pg.user(), "");
                }));
            }
            go.countDown();
            List<RegistryDatabase> dbs = new ArrayList<>();
            for (Future<RegistryDatabase> f : opened) {
                dbs.add(f.get());
            }
            RegistryDatabase db = dbs.get(0);
            assertEquals(1, count(db, "SELECT COUNT(*) FROM \"dataenc_schema_history\" WHERE \"version\" = '12'"
                    + " AND \"success\""));
            assertEquals(0, count(db, "SELECT COUNT(blob_count) FROM dataenc_migration_refs"));
            dbs.forEach(RegistryDatabase::close);
        } finally {
            nodes.shutdownNow();
        }
        try (RegistryDatabase db = open()) {
            assertFalse(db.flywayRan());
        }
    }

    private RegistryDatabase open() {
        return RegistryDatabase.open(url, pg.user(), "");
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
