package dev.dataenc.control.cluster;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.error.DataEncException;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.registry.RegistryException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Checks, without creating or changing anything, that a registry exists and has been initialised (an
 * application started on it and recorded the data-encryption state). Commands that only look run this
 * before they open the registry, because opening creates a missing embedded H2 database and migrates an
 * empty schema. An H2 URL is opened with {@code IFEXISTS=TRUE}, so a missing file is not created.
 */
public final class RegistryPresence {

    /** H2's error code for "database not found" (with IFEXISTS=TRUE). */
    private static final int H2_DATABASE_NOT_FOUND = 90146;

    private RegistryPresence() {
    }

    /**
     * @throws RegistryNotInitializedException if there is no database, no registry schema or no recorded state
     * @throws dev.dataenc.registry.RegistryFileException if an embedded H2 file exists but is empty, cut off or
     *                                         unreadable (it is left as it is)
     * @throws RegistryException               if the database cannot be reached for another reason
     */
    public static void requireInitialized(RegistrySettings registry) {
        String shown = registry.displayUrl();
        // an existing H2 file is checked first: opened as it is, an empty file would become a new (uninitialised)
        // database and a damaged one would be written to
        RegistryDatabase.checkExistingFile(registry.url());
        Properties p = new Properties();
        if (registry.user() != null) {
            p.setProperty("user", registry.user());
        }
        if (registry.password() != null) {
            p.setProperty("password", registry.password());
        }
        try (Connection c = DriverManager.getConnection(ifExists(registry.url()), p)) {
            check(c, shown);
        } catch (SQLException e) {
            throw translate(e, shown);
        }
    }

    /**
     * As {@link #requireInitialized(RegistrySettings)} for a registry in an application's own database: reads only,
     * so a database without the registry's tables is left without them.
     *
     * @param dataSource the application's data source
     * @param name       how to name it in messages (e.g. "application DataSource")
     * @throws RegistryNotInitializedException if there are no registry tables or no recorded state
     * @throws RegistryException               if the database cannot be reached for another reason
     */
    public static void requireInitialized(DataSource dataSource, String name) {
        try (Connection c = dataSource.getConnection()) {
            check(c, name);
        } catch (SQLException e) {
            throw translate(e, name);
        }
    }

    private static void check(Connection c, String shown) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT active_keystore FROM dataenc_control WHERE id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw notInitialized(shown, "it has the registry tables but no recorded data-encryption state");
            }
        }
    }

    private static DataEncException translate(SQLException e, String shown) {
        if (e.getErrorCode() == H2_DATABASE_NOT_FOUND) {
            return notInitialized(shown, "the database does not exist");
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("42")) {
            return notInitialized(shown, "the database has no registry tables");
        }
        return new RegistryException("cannot read the CDK registry at " + shown + ": " + e.getMessage()
                + ". Check the registry JDBC URL, that the database is running, and its credentials.", e);
    }

    /** The URL that opens an embedded or server H2 database only if it exists; other URLs unchanged. */
    static String ifExists(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        if (upper.startsWith("JDBC:H2:") && !upper.startsWith("JDBC:H2:MEM:") && !upper.contains("IFEXISTS")) {
            // no .trace.db file either: looking leaves the directory as it was
            return url + ";IFEXISTS=TRUE" + (upper.contains("TRACE_LEVEL_FILE") ? "" : ";TRACE_LEVEL_FILE=0");
        }
        return url;
    }

    private static RegistryNotInitializedException notInitialized(String shown, String why) {
        return new RegistryNotInitializedException("the CDK registry at " + shown + " is not initialised (" + why
                + "); nothing was created. Looking needs an initialised registry: start an application with this"
                + " configuration (its first start records the active keystore and generates the first CDK), or run"
                + " `dataenc rotate-cdk` with it (which initialises it the same way, from this file), or check"
                + " dataenc.registry.url");
    }
}
