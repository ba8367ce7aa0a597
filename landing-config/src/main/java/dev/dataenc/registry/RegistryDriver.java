package dev.dataenc.registry;

import java.sql.DriverManager;
import java.sql.SQLException;

/** Checks, before a pool is opened, that the application has put a JDBC driver for the registry URL on the class path. */
final class RegistryDriver {

    private RegistryDriver() {
    }

    /** The Maven coordinates of the driver for a registry URL: H2 or PostgreSQL (the only schemes the URL policy lets through). */
    static String artifactFor(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? "org.postgresql:postgresql" : "com.h2database:h2";
    }

    /**
     * @param jdbcUrl the registry URL (already checked by {@link RegistryUrlPolicy})
     * @param shown   the URL without credentials, for the message
     * @throws RegistryDriverMissingException naming the artifact to add when no driver accepts the URL
     */
    static void require(String jdbcUrl, String shown) {
        try {
            DriverManager.getDriver(jdbcUrl);
        } catch (SQLException e) {
            String artifact = artifactFor(jdbcUrl);
            String scheme = jdbcUrl.startsWith("jdbc:postgresql:") ? "PostgreSQL" : "H2";
            throw new RegistryDriverMissingException(artifact, "No " + scheme + " JDBC driver for the CDK registry at "
                    + shown + ": add the dependency " + artifact + " to the application (dataenc does not bring JDBC"
                    + " drivers; see README, 'Dependencies').", e);
        }
    }
}
