package dev.dataenc.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.CdkRegistryContractTest;
import dev.dataenc.testing.PostgresServer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

/**
 * The registry contract on a real PostgreSQL server (started privately by {@link PostgresServer};
 * skipped with the reason when PostgreSQL is not installed — CI installs it).
 */
class PostgresJdbcCdkRegistryTest extends CdkRegistryContractTest {

    private final List<RegistryDatabase> open = new ArrayList<>();
    private String url;

    @Override
    protected CdkRegistry newRegistry() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        url = pg.newDatabase();
        return new JdbcCdkRegistry(openDb(pg));
    }

    @Override
    protected CdkRegistry sameDataOtherInstance() {
        return new JdbcCdkRegistry(openDb(PostgresServer.available().orElseThrow()));
    }

    private RegistryDatabase openDb(PostgresServer pg) {
        RegistryDatabase db = RegistryDatabase.open(url, pg.user(), "");
        open.add(db);
        return db;
    }

    @Override
    protected void scheduleDueDestruction(dev.dataenc.cdk.CdkId retired) {
        ScheduledDestructionSql.scheduleDue(open.get(0), retired);
    }

    @AfterEach
    void closeAll() {
        open.forEach(RegistryDatabase::close);
    }
}
