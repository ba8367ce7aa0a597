package dev.dataenc.config;

import java.util.Objects;

/**
 * Where the CDK registry lives.
 *
 * @param url      JDBC URL ({@code jdbc:h2:file:...} or {@code jdbc:postgresql://...})
 * @param user     database user, may be {@code null}
 * @param password database password, may be {@code null}; never shown by {@link #toString()}
 */
public record RegistrySettings(String url, String user, String password) {

    public RegistrySettings {
        Objects.requireNonNull(url, "url");
    }

    /** The URL with any inline password masked. */
    public String displayUrl() {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + displayUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
    }
}
