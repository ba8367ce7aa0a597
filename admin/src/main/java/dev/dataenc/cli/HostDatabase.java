package dev.dataenc.cli;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.error.DataEncException;
import dev.dataenc.migrate.JdbcRecordSource;

/**
 * The database holding the table {@code dataenc migrate} works on: the one given with {@code --db-url}
 * (user from {@code --db-user}, password from the environment variable named by
 * {@code --db-password-env}), else the CDK registry's database with its user and password.
 *
 * @param url      JDBC URL
 * @param user     user, or null
 * @param password password, or null; never shown
 * @param registry whether this is the registry's database (the default)
 */
record HostDatabase(String url, String user, String password, boolean registry) {

    /**
     * Resolves the options.
     *
     * @throws DataEncException if {@code --db-user} or {@code --db-password-env} is given without {@code --db-url},
     *                          or the password variable is not set
     */
    static HostDatabase of(RegistrySettings registry, String dbUrl, String dbUser, String passwordEnv) {
        if (dbUrl == null || dbUrl.isBlank()) {
            if (dbUser != null || passwordEnv != null) {
                throw new DataEncException("--db-user and --db-password-env go with --db-url; without --db-url the"
                        + " table is looked for in the CDK registry's database, with the registry's credentials");
            }
            return new HostDatabase(registry.url(), registry.user(), registry.password(), true);
        }
        String password = null;
        if (passwordEnv != null) {
            password = System.getenv(passwordEnv);
            if (password == null) {
                throw new DataEncException("the environment variable " + passwordEnv + " (--db-password-env) is not"
                        + " set; export it with the host database password, or leave the option out");
            }
        }
        return new HostDatabase(dbUrl, dbUser, password, false);
    }

    /** A record source builder connected to this database. */
    JdbcRecordSource.Builder builder() {
        return JdbcRecordSource.connect(connectUrl(), user, password);
    }

    /**
     * An embedded H2 database is opened only if it exists (a mistyped path must not create an empty database)
     * and writes no {@code .trace.db} file beside it.
     */
    private String connectUrl() {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!upper.startsWith("JDBC:H2:FILE:")) {
            return url;
        }
        return url + (upper.contains("IFEXISTS") ? "" : ";IFEXISTS=TRUE")
                + (upper.contains("TRACE_LEVEL_FILE") ? "" : ";TRACE_LEVEL_FILE=0");
    }

    /** The URL with any inline password masked, and where it came from. */
    String display() {
        return dev.dataenc.config.RegistrySettings.maskPasswords(url) + (registry ? " (the CDK registry's database)" : "");
    }

    @Override
    public String toString() {
        return "HostDatabase[" + display() + ", user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
    }
}
