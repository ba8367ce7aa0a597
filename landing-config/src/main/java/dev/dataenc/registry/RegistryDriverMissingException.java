package dev.dataenc.registry;

/**
 * No JDBC driver on the class path accepts the registry URL. dataenc does not bring JDBC drivers: the
 * application adds the one for its registry ({@code com.h2database:h2} for the embedded default,
 * {@code org.postgresql:postgresql} for PostgreSQL). The message names the artifact to add.
 */
public class RegistryDriverMissingException extends RegistryException {

    private final String artifact;

    /**
     * @param artifact the Maven coordinates ({@code groupId:artifactId}) of the missing driver
     * @param message  what is missing and how to add it
     * @param cause    the driver manager's refusal
     */
    public RegistryDriverMissingException(String artifact, String message, Throwable cause) {
        super(message, cause);
        this.artifact = artifact;
    }

    /** The Maven coordinates ({@code groupId:artifactId}) of the driver to add, e.g. {@code com.h2database:h2}. */
    public String artifact() {
        return artifact;
    }
}
