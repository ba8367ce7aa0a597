package dev.dataenc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.CdkRegistryContractTest;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.keystore.Wrapping;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on a real embedded H2 file database. */
class H2JdbcCdkRegistryTest extends CdkRegistryContractTest {

    @TempDir
    Path dir;

    private final List<RegistryDatabase> open = new ArrayList<>();

    @Override
    protected CdkRegistry newRegistry() {
        return new JdbcCdkRegistry(openDb());
    }

    @Override
    protected CdkRegistry sameDataOtherInstance() {
        return new JdbcCdkRegistry(openDb());
    }

    private RegistryDatabase openDb() {
        RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
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

    @Test
    void closedAndReopened_keepsCdks() {
        Cdk cdk = new Cdk(CdkId.random(), CdkStatus.ACTIVE, Instant.parse("2026-02-03T04:05:06.789Z"),
                List.of(new Wrapping("ks", "mk", "", new byte[] {5, 6, 7})));
        registry.activate(cdk, null);
        closeAll();
        open.clear();
        CdkRegistry reopened = new JdbcCdkRegistry(openDb());
        assertEquals(cdk, reopened.findActive().orElseThrow());
    }

    @Test
    void unreachableDatabase_failsNamingTheUrlWithoutPassword() {
        RegistryException e = assertThrows(RegistryException.class, () -> RegistryDatabase.open(
                "jdbc:postgresql://127.0.0.1:1/none?password=hunter2", "u", "hunter2"));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
    }
}
