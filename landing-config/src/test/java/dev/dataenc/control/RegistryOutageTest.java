package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.lifecycle.CdkUsageStore;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry database goes away while an application runs, and comes back (real PostgreSQL: the database refuses
 * new connections and every open one is terminated, as in a fail-over or a restart). Meanwhile values under cached
 * CDKs still encrypt and decrypt, and everything that needs the registry fails with a typed one-line error and changes
 * nothing; afterwards the node recovers by itself and no usage count made during the outage is lost.
 */
class RegistryOutageTest {

    private static final String CONTEXT = "Customer.email";

    @TempDir
    Path dir;

    @Test
    void registryGoesAwayAndComesBack_cachedKeysWork_restFailsTyped_countsKept() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        String url = pg.newDatabase();
        String database = url.substring(url.lastIndexOf('/') + 1);
        RegistrySettings registry = new RegistrySettings(url, pg.user(), "", Duration.ofSeconds(1));
        KeystoreSettings a = ControlFixture.local(dir, "a");
        DataEncConfig config = ControlFixture.config(registry, "a", a);
        ControlPlane.Options options = ControlFixture.options().withUsageFlush(Duration.ofMillis(200));

        String underOld;
        try (ControlPlane first = ControlPlane.open(config, options)) {
            underOld = first.propertyCipher().encryptString("old@example.com", CONTEXT);
            first.rotateCdk("test");
        }
        try (ControlPlane plane = ControlPlane.open(config, options)) {
            PropertyCipher cipher = plane.propertyCipher();
            Cdk active = plane.registry().findActive().orElseThrow();
            String before = cipher.encryptString("before@example.com", CONTEXT); // ACTIVE CDK now cached
            plane.flushUsage();
            long recordedBefore = plane.usage().total(active.id());
            ControlPlane closedDuringOutage = ControlPlane.open(config, options);
            closedDuringOutage.propertyCipher().encryptString("cached@example.com", CONTEXT);
            closedDuringOutage.flushUsage();
            recordedBefore++;

            setReachable(pg, database, false);
            try {
                for (int i = 0; i < 7; i++) {
                    closedDuringOutage.propertyCipher().encryptString("lost-" + i + "@example.com", CONTEXT);
                }
                assertEquals(Map.of(active.id(), 7L), closedDuringOutage.unrecordedUsage());
                closedDuringOutage.close(); // the registry is away: these counts cannot be recorded
                assertEquals(Map.of(active.id(), 7L), closedDuringOutage.unrecordedUsage(),
                        "what the registry will never know is reported exactly (and logged as an error)");

                assertEquals("before@example.com", cipher.decryptString(before, CONTEXT));
                int during = 25;
                String last = null;
                for (int i = 0; i < during; i++) {
                    last = cipher.encryptString("during-" + i + "@example.com", CONTEXT);
                }
                assertEquals("during-24@example.com", cipher.decryptString(last, CONTEXT));
                assertThrows(RuntimeException.class, plane::flushUsage, "the registry is away");

                // the old CDK was never loaded by this node: its key needs the registry
                DataEncException e = assertThrows(DataEncException.class, () -> cipher.decryptString(underOld, CONTEXT));
                assertOneActionableLine(e, url);
                assertTrue(e.getMessage().matches(".*timed out after 1\\d{3}ms.*"),
                        "waited dataenc.registry.connect-timeout (1s), not the 5s default: " + e.getMessage());
                DataEncException r = assertThrows(DataEncException.class, () -> plane.rotateCdk("during outage"));
                assertOneActionableLine(r, url);

                setReachable(pg, database, true);
                assertEquals("old@example.com", cipher.decryptString(underOld, CONTEXT), "recovered without a restart");
                plane.flushUsage();
                CdkUsageStore usage = plane.usage();
                assertEquals(recordedBefore + during, usage.total(active.id()), "no count made during the outage is lost"
                        + " by a node that stays up (the closed node's 7 are not there, as it reported)");
                assertEquals(active.id(), plane.registry().findActive().orElseThrow().id(),
                        "the refused rotation changed nothing");
                CdkId stillActive = PropertyCipher.cdkIdOf(cipher.encryptString("after@example.com", CONTEXT));
                assertEquals(active.id(), stillActive);
            } finally {
                setReachable(pg, database, true);
            }
        }
    }

    private static void assertOneActionableLine(DataEncException e, String url) {
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains(url.substring(url.indexOf("//"))), "names the registry: " + m);
    }

    /** Makes the database refuse connections (and ends every open one), or accept them again. */
    private static void setReachable(PostgresServer pg, String database, boolean reachable) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.adminUrl(), pg.user(), ""); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + reachable);
            if (!reachable) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
    }
}
