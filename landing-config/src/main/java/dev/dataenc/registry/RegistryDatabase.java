package dev.dataenc.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dataenc.config.RegistrySettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The database behind the CDK registry: a pooled connection to an embedded H2 file (the
 * default, nothing to install) or PostgreSQL (for several nodes), with the registry's schema
 * migrated to the current version by Flyway on open (history table
 * {@code dataenc_schema_history}); a registry whose history already shows every bundled migration is
 * not handed to Flyway ({@link SchemaHistoryCheck}).
 *
 * <p>Before anything is opened the URL is checked ({@link RegistryUrlPolicy}). An embedded H2
 * registry that does not exist yet is created with mode 0600; an existing H2 file that is empty, cut
 * off or unreadable is refused, never re-initialised ({@link H2RegistryFile}).
 */
public final class RegistryDatabase implements AutoCloseable {

    private static final java.util.concurrent.ConcurrentMap<String, Object> MIGRATION_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final DataSource dataSource;
    private final String displayUrl;
    /** Closes what this object opened (its own pool); nothing for a data source owned by the application. */
    private final Runnable closer;
    /** Whether opening ran Flyway (false: the schema history already showed every bundled migration). */
    private final boolean flywayRan;

    private RegistryDatabase(DataSource dataSource, String displayUrl, Runnable closer, boolean flywayRan) {
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
        this.closer = closer;
        this.flywayRan = flywayRan;
    }

    /**
     * The registry in a database the application already has a pool for (e.g. Spring Boot's {@code DataSource}):
     * the registry's tables ({@code dataenc_*}, history table {@code dataenc_schema_history}) are migrated into it.
     * {@link #close()} leaves the data source open: its owner closes it.
     *
     * @param dataSource the application's data source (H2 or PostgreSQL)
     * @param name       how messages name it, e.g. {@code "application DataSource"}; no credentials
     * @throws RegistryException naming it when the schema cannot be migrated
     */
    public static RegistryDatabase over(DataSource dataSource, String name) {
        java.util.Objects.requireNonNull(dataSource, "dataSource");
        java.util.Objects.requireNonNull(name, "name");
        Object migrationLock = MIGRATION_LOCKS.computeIfAbsent("datasource:" + System.identityHashCode(dataSource),
                u -> new Object());
        boolean flywayRan;
        try {
            synchronized (migrationLock) {
                flywayRan = migrate(dataSource);
            }
        } catch (FlywayException e) {
            throw new RegistryException("cannot migrate the CDK registry schema in the " + name + ": " + e.getMessage(), e);
        }
        return new RegistryDatabase(dataSource, name, () -> { }, flywayRan);
    }

    /**
     * Brings the schema to the newest bundled version: nothing to do when the schema history already shows exactly
     * the bundled migrations ({@link SchemaHistoryCheck}); otherwise Flyway migrates and validates.
     *
     * @return whether Flyway ran
     */
    private static boolean migrate(DataSource ds) {
        if (SchemaHistoryCheck.isCurrent(ds)) {
            return false;
        }
        flyway(ds);
        return true;
    }

    private static void flyway(DataSource ds) {
        Flyway.configure()
                .loggers("slf4j") // like the rest of dataenc: the host's SLF4J backend decides (silent without one)
                .dataSource(ds)
                .locations(BundledMigrations.LOCATION)
                .table("dataenc_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /**
     * The JDBC URL of the embedded default: an H2 file {@code <dir>/registry.mv.db}. Embedded H2 is
     * opened by one process at a time (the database closes, and its file lock is released, when this
     * process closes its last connection); several processes or nodes need PostgreSQL.
     */
    public static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry");
    }

    /**
     * For an embedded H2 URL whose registry file exists, checks that file as {@link #open} does (an empty, cut-off or
     * unreadable file is refused), without creating or changing anything; other URLs are not looked at.
     *
     * @throws RegistryFileException if the H2 file exists but is not a whole, readable H2 file
     */
    public static void checkExistingFile(String jdbcUrl) {
        H2RegistryFile.of(jdbcUrl).ifPresent(H2RegistryFile::checkIfPresent);
    }

    /**
     * Opens the database and migrates the schema.
     *
     * @throws UnsafeRegistryUrlException if the URL's scheme or an option is not allowed ({@link RegistryUrlPolicy})
     * @throws RegistryFileException if an existing H2 registry file is empty, cut off or unreadable
     * @throws RegistryDriverMissingException if no JDBC driver for the URL is on the class path (the application adds it)
     * @throws RegistryException naming the URL (without credentials) when it cannot be reached or migrated
     */
    public static RegistryDatabase open(String jdbcUrl, String user, String password) {
        return open(new RegistrySettings(jdbcUrl, user, password));
    }

    /**
     * Opens the database of {@code settings} and migrates the schema; a call waits at most
     * {@link RegistrySettings#connectTimeout()} for a connection (so does opening, for the first).
     *
     * @throws UnsafeRegistryUrlException if the URL's scheme or an option is not allowed ({@link RegistryUrlPolicy})
     * @throws RegistryFileException if an existing H2 registry file is empty, cut off or unreadable
     * @throws RegistryDriverMissingException if no JDBC driver for the URL is on the class path (the application adds it)
     * @throws RegistryException naming the URL (without credentials) when it cannot be reached or migrated
     */
    public static RegistryDatabase open(RegistrySettings settings) {
        String jdbcUrl = settings.url();
        String user = settings.user();
        String password = settings.password();
        RegistryUrlPolicy.check(jdbcUrl);
        String shown = RegistrySettings.maskPasswords(jdbcUrl);
        RegistryDriver.require(jdbcUrl, shown);
        Optional<H2RegistryFile> h2 = H2RegistryFile.of(jdbcUrl);
        if (h2.isPresent()) {
            h2.get().checkOrCreate(user, password);
            jdbcUrl = h2.get().openUrl();
        }
        jdbcUrl = durable(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("dataenc-registry");
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        ClosedDatabaseEviction eviction = new ClosedDatabaseEviction();
        config.setExceptionOverride(eviction);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
            eviction.attach(ds);
        } catch (RuntimeException e) {
            throw new RegistryException("cannot connect to the CDK registry at " + shown + ": " + e.getMessage()
                    + ". Check the registry JDBC URL, that the database is running, and its credentials.", e);
        }
        // one schema migration at a time per database in this JVM: two control planes starting together on a new
        // embedded registry otherwise race in Flyway's baseline ("schema history table ... exists, and is empty")
        Object migrationLock = MIGRATION_LOCKS.computeIfAbsent(jdbcUrl, u -> new Object());
        boolean flywayRan;
        try {
            synchronized (migrationLock) {
                flywayRan = migrate(ds);
            }
        } catch (FlywayException e) {
            ds.close();
            throw new RegistryException("cannot migrate the CDK registry schema at " + shown + ": " + e.getMessage(), e);
        }
        return new RegistryDatabase(ds, shown, ds::close, flywayRan);
    }

    /**
     * H2 writes commits to its file up to 500 ms late by default, so a process killed right after a
     * commit could lose it; the registry must not (a switch step would be forgotten). Unless the URL
     * says otherwise, embedded H2 writes every commit before it returns ({@code WRITE_DELAY=0}).
     */
    static String durable(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            return jdbcUrl + ";WRITE_DELAY=0";
        }
        return jdbcUrl;
    }

    /** Whether opening ran Flyway; false when the schema history already showed every bundled migration. */
    boolean flywayRan() {
        return flywayRan;
    }

    /** The pooled data source. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL with any password masked, for messages. */
    public String displayUrl() {
        return displayUrl;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Work on one connection of the registry database. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /** Runs the work. */
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode (reads).
     *
     * @throws RegistryException naming the database and {@code what} on an SQL failure
     */
    public <T> T read(String what, SqlWork<T> work) {
        try {
            return readOnce(work);
        } catch (SQLException e) {
            if (ClosedDatabaseEviction.deadConnection(e)) {
                // the pool has dropped its connections to a database that closed itself (a full disk, say): a read
                // changes nothing, so it is tried once more, on a new connection that opens the database again
                try {
                    return readOnce(work);
                } catch (SQLException again) {
                    e = again;
                }
            }
            throw new RegistryException("CDK registry at " + displayUrl + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private <T> T readOnce(SqlWork<T> work) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(true);
            return work.run(c);
        }
    }

    /**
     * Runs {@code work} as one transaction: committed if it returns, rolled back if it throws. A
     * constraint violation (another writer got there first) becomes a
     * {@link dev.dataenc.error.RegistryConflictException}.
     *
     * @throws RegistryException naming the database and {@code what} on any other SQL failure
     */
    public <T> T write(String what, SqlWork<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                    throw new dev.dataenc.error.RegistryConflictException("cannot " + what + ": another writer got there"
                            + " first (" + sql.getMessage() + "). Re-read the registry and retry if still needed.");
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RegistryException("CDK registry at " + displayUrl + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closer.run();
    }

    @Override
    public String toString() {
        return "RegistryDatabase[" + displayUrl + "]";
    }
}
