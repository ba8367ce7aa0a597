package dev.dataenc.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the CDK registry lives.
 *
 * @param url            JDBC URL ({@code jdbc:h2:file:...} or {@code jdbc:postgresql://...})
 * @param user           database user, may be {@code null}
 * @param password       database password, may be {@code null}; never shown by {@link #toString()}
 * @param connectTimeout how long a registry call (and the first connection at open) waits for a database connection
 *                       before it fails: what each call costs while the database is away; {@value #MIN_MILLIS} ms to
 *                       10 minutes
 */
public record RegistrySettings(String url, String user, String password, Duration connectTimeout) {

    /** Default of {@code dataenc.registry.connect-timeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Smallest connect timeout in milliseconds (the connection pool's own minimum). */
    public static final long MIN_MILLIS = 250;
    /** Smallest connect timeout. */
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(MIN_MILLIS);
    /** Largest connect timeout. */
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(10);

    public RegistrySettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0 || connectTimeout.compareTo(MAX_CONNECT_TIMEOUT) > 0) {
            throw new IllegalArgumentException("registry connect timeout " + connectTimeout + " is out of range; allowed "
                    + MIN_MILLIS + " ms to 10 minutes");
        }
    }

    /** Settings with the default connect timeout ({@link #DEFAULT_CONNECT_TIMEOUT}). */
    public RegistrySettings(String url, String user, String password) {
        this(url, user, password, DEFAULT_CONNECT_TIMEOUT);
    }

    /** The URL with any inline password masked. */
    public String displayUrl() {
        return maskPasswords(url);
    }

    /**
     * {@code url} with its inline passwords masked: {@code password=...} (also {@code sslpassword=...}) and the password
     * of a {@code //user:password@host} part.
     */
    public static String maskPasswords(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****").replaceAll("(//[^/@:;?]*:)[^@/]*@", "$1****@");
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + displayUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                + ", connectTimeout=" + connectTimeout.toMillis() + "ms]";
    }
}
