package dev.dataenc.footprint;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncSettings;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.registry.RegistryDriverMissingException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This module's class path has no JDBC driver, as a host that has not added one: starting names the one to add. */
class MissingDriverTest {

    @TempDir
    Path dir;

    private DataEncSettings settings() {
        return DataEncSettings.in(dir)
                .cipherType("platform")
                .keystore("primary", "local", Map.of("path", "primary.p12", "password", "unused-password"))
                .activeKeystore("primary");
    }

    @Test
    void defaultH2Registry_withoutH2_namesTheH2Artifact() {
        DataEncConfig config = settings().build();

        RegistryDriverMissingException e = assertThrows(RegistryDriverMissingException.class,
                () -> DataEncService.start(config));

        assertEquals("com.h2database:h2", e.artifact());
        assertTrue(e.getMessage().contains("add the dependency com.h2database:h2"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("registry.mv.db")), "nothing was created");
    }

    @Test
    void postgresqlRegistry_withoutDriver_namesThePgjdbcArtifact() {
        DataEncConfig config = settings().registry("jdbc:postgresql://127.0.0.1:1/dataenc?password=pg-secret-9", "dataenc")
                .build();

        RegistryDriverMissingException e = assertThrows(RegistryDriverMissingException.class,
                () -> DataEncService.start(config));

        assertEquals("org.postgresql:postgresql", e.artifact());
        assertFalse(e.getMessage().contains("pg-secret-9"), e.getMessage());
    }
}
