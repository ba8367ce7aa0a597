package dev.dataenc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index a start relies on to skip Flyway ({@link BundledMigrations}) against Flyway's own scan of the
 * migration directory: adding, renaming or editing a migration file without updating the index fails here.
 */
class BundledMigrationsTest {

    @TempDir
    Path dir;

    @Test
    void index_equalsFlywaysScanOfTheMigrationDirectory() {
        List<BundledMigration> scanned = java.util.Arrays.stream(Flyway.configure()
                        .dataSource("jdbc:h2:mem:bundled-" + System.nanoTime(), "sa", "")
                        .locations(BundledMigrations.LOCATION)
                        .table("dataenc_schema_history")
                        .load().info().all())
                .map(BundledMigrationsTest::asBundled).toList();
        assertEquals(scanned, BundledMigrations.ALL,
                "BundledMigrations.ALL must list every file in dev/dataenc/registry/migration with Flyway's checksum");
    }

    @Test
    void migrationDirectory_holdsExactlyTheIndexedFiles() {
        assertTrue(BundledMigrations.listed().isPresent(), "the migration directory can be listed");
        assertTrue(BundledMigrations.indexComplete());
    }

    @Test
    void jarWithAFileTheIndexDoesNotName_isNotComplete() throws Exception {
        Path jar = jar(List.of("V1__cdk_registry.sql", "V12__blob_scan_counts.sql", "V13__next.sql"));
        URL first = new URL("jar:" + jar.toUri() + "!/dev/dataenc/registry/migration/V1__cdk_registry.sql");
        Set<String> listed = BundledMigrations.listed(first).orElseThrow();
        assertEquals(Set.of("V1__cdk_registry.sql", "V12__blob_scan_counts.sql", "V13__next.sql"), listed);
        assertFalse(BundledMigrations.matches(listed));
    }

    @Test
    void jarWithExactlyTheIndexedFiles_isComplete() throws Exception {
        Path jar = jar(BundledMigrations.ALL.stream().map(BundledMigration::script).toList());
        URL first = new URL("jar:" + jar.toUri() + "!/dev/dataenc/registry/migration/V1__cdk_registry.sql");
        assertTrue(BundledMigrations.matches(BundledMigrations.listed(first).orElseThrow()));
    }

    @Test
    void unlistableLocation_isEmpty() throws Exception {
        assertTrue(BundledMigrations.listed(new URL("http://127.0.0.1:9/V1__cdk_registry.sql")).isEmpty());
    }

    private Path jar(List<String> files) throws Exception {
        Path jar = dir.resolve("m-" + System.nanoTime() + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("dev/dataenc/registry/migration/"));
            j.closeEntry();
            for (String f : files) {
                j.putNextEntry(new JarEntry("dev/dataenc/registry/migration/" + f));
                j.write("SELECT 1;\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                j.closeEntry();
            }
            j.putNextEntry(new JarEntry("dev/dataenc/registry/Other.class"));
            j.closeEntry();
        }
        return jar;
    }

    private static BundledMigration asBundled(MigrationInfo i) {
        return new BundledMigration(i.getVersion().getVersion(), i.getDescription(), i.getScript(), i.getChecksum());
    }
}
