package dev.dataenc.registry;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The index of the schema migrations in {@code dev/dataenc/registry/migration/}, so that a start can tell
 * that a registry is already at the newest bundled version without starting Flyway
 * ({@link SchemaHistoryCheck}).
 *
 * <p><b>Add every new migration file here</b> (version, description, file name and Flyway's checksum).
 * {@code BundledMigrationsTest} fails when this list and Flyway's own scan of the directory differ (a file
 * added, renamed or edited without this list). At run time the skip is also refused, and Flyway runs, when
 * the directory next to this class holds any file this list does not name, or cannot be listed.
 */
final class BundledMigrations {

    /** The location Flyway migrates from. */
    static final String LOCATION = "classpath:dev/dataenc/registry/migration";

    /** In version order; the last one is the newest. */
    static final List<BundledMigration> ALL = List.of(
            new BundledMigration("1", "cdk registry", "V1__cdk_registry.sql", -1048399660),
            new BundledMigration("2", "control plane", "V2__control_plane.sql", 2026262331),
            new BundledMigration("3", "migration", "V3__migration.sql", 1166393936),
            new BundledMigration("4", "cdk lifecycle", "V4__cdk_lifecycle.sql", -1609637933),
            new BundledMigration("5", "cipher transition", "V5__cipher_transition.sql", 556952862),
            new BundledMigration("6", "cdk check value", "V6__cdk_check_value.sql", 553719183),
            new BundledMigration("7", "audit chain", "V7__audit_chain.sql", 541615343),
            new BundledMigration("8", "cluster nodes", "V8__cluster_nodes.sql", -168446892),
            new BundledMigration("9", "scheduled destruction", "V9__scheduled_destruction.sql", -694379540),
            new BundledMigration("10", "switch cancel", "V10__switch_cancel.sql", -395969130),
            new BundledMigration("11", "refused master keys", "V11__refused_master_keys.sql", 788629092),
            new BundledMigration("12", "blob scan counts", "V12__blob_scan_counts.sql", -416709155));

    private static final String DIR = "migration/";

    /** Whether the files listed ({@link #listed()}) are exactly this index's; null once computed means unknown. */
    private static volatile Boolean complete;

    private BundledMigrations() {
    }

    /**
     * Whether the migration directory next to this class (in its jar or class directory) holds exactly the
     * files this index names: false when it holds another one (a migration added without updating the index)
     * or cannot be listed. Computed once per class loader.
     */
    static boolean indexComplete() {
        Boolean c = complete;
        if (c == null) {
            c = listed().map(BundledMigrations::matches).orElse(false);
            complete = c;
        }
        return c;
    }

    /** Whether {@code files} (names in the migration directory) are exactly the scripts of {@link #ALL}. */
    static boolean matches(Set<String> files) {
        return files.equals(ALL.stream().map(BundledMigration::script).collect(Collectors.toCollection(TreeSet::new)));
    }

    /** The file names in the migration directory next to this class, or empty if it cannot be listed. */
    static Optional<Set<String>> listed() {
        URL first = BundledMigrations.class.getResource(DIR + ALL.get(0).script());
        return first == null ? Optional.empty() : listed(first);
    }

    /**
     * The file names in the directory of {@code first} (the first bundled migration's URL: a class directory or a
     * jar), or empty if it cannot be listed.
     */
    static Optional<Set<String>> listed(URL first) {
        try {
            if (first.getProtocol().equals("file")) {
                try (Stream<Path> files = Files.list(Path.of(first.toURI()).getParent())) {
                    return Optional.of(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
                }
            }
            URLConnection connection = first.openConnection();
            if (connection instanceof JarURLConnection jar) {
                jar.setUseCaches(false); // our own JarFile, closed here (a cached one is shared)
                String prefix = jar.getEntryName().substring(0, jar.getEntryName().length() - ALL.get(0).script().length());
                try (JarFile file = jar.getJarFile()) {
                    return Optional.of(file.stream().map(JarEntry::getName)
                            .filter(n -> n.startsWith(prefix) && n.length() > prefix.length())
                            .map(n -> n.substring(prefix.length()))
                            .collect(Collectors.toSet()));
                }
            }
            return Optional.empty();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
