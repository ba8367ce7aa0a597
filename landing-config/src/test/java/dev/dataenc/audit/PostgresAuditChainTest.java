package dev.dataenc.audit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.PostgresServer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit chain on a real PostgreSQL server with two connection pools standing for two processes
 * (skipped with the reason when PostgreSQL is not installed; CI installs it).
 */
class PostgresAuditChainTest {

    private final List<RegistryDatabase> open = new ArrayList<>();
    private PostgresServer pg;
    private String url;

    @BeforeEach
    void database() throws Exception {
        pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        url = pg.newDatabase();
    }

    private RegistryDatabase db() {
        RegistryDatabase db = RegistryDatabase.open(url, pg.user(), "");
        open.add(db);
        return db;
    }

    @AfterEach
    void close() {
        open.forEach(RegistryDatabase::close);
    }

    @Test
    void twoPoolsAppendingConcurrently_formOneChain() throws Exception {
        AuditChainFixture.appendConcurrently_formsOneChain(db(), db());
    }

    @Test
    void appendWhileAnotherHoldsTheHead_waitsAndChainsOntoIt() throws Exception {
        AuditChainFixture.appendWaitsForTheHead(db(), db(), "SELECT COUNT(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
    }
}
