package dev.dataenc.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The configuration in code, for hosts without a configuration file: the same keys as the file
 * ({@code docs/CONFIGURATION.md}), checked by the same validation ({@link ConfigLoader#fromMap}), so the same
 * mistakes give the same {@link DataEncConfigException}s.
 *
 * <pre>{@code
 * DataEncConfig config = DataEncSettings.in(Path.of("/var/lib/myapp/dataenc"))
 *         .cipherType("platform")
 *         .keystore("primary", "local", Map.of("path", "primary.p12", "password-env", "DATAENC_KEYSTORE_PASSWORD"))
 *         .activeKeystore("primary")
 *         .build();
 * }</pre>
 *
 * Not thread-safe; build once at start-up.
 */
public final class DataEncSettings {

    private final Path baseDir;
    private final Map<String, String> values = new LinkedHashMap<>();
    private Function<String, String> env = System::getenv;

    private DataEncSettings(Path baseDir) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
    }

    /**
     * Settings whose relative keystore paths (and the default H2 registry, {@code <baseDir>/registry.mv.db})
     * resolve against {@code baseDir}.
     *
     * @param baseDir the directory that plays the part of the configuration file's directory
     * @return empty settings
     */
    public static DataEncSettings in(Path baseDir) {
        return new DataEncSettings(baseDir);
    }

    /**
     * Sets any key, as a line {@code key=value} of the file would.
     *
     * @param key   a {@code dataenc.*} key
     * @param value its value
     * @return this
     */
    public DataEncSettings set(String key, String value) {
        values.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** {@code dataenc.cipher-type}: {@code platform}, {@code custom} or {@code keystore}. */
    public DataEncSettings cipherType(String type) {
        return set(ConfigLoader.CIPHER_TYPE, type);
    }

    /** {@code dataenc.keystore.active}: the keystore new CDKs are generated under. */
    public DataEncSettings activeKeystore(String name) {
        return set(ConfigLoader.KEYSTORE_ACTIVE, name);
    }

    /**
     * One keystore: {@code dataenc.keystores.<name>.type} and {@code dataenc.keystores.<name>.<setting>}.
     *
     * @param name     keystore name
     * @param type     keystore type, e.g. {@code local}
     * @param settings the type's settings, e.g. {@code path} and {@code password-env}
     * @return this
     */
    public DataEncSettings keystore(String name, String type, Map<String, String> settings) {
        set(ConfigLoader.KEYSTORES_PREFIX + name + "." + ConfigLoader.TYPE_SETTING, type);
        settings.forEach((k, v) -> set(ConfigLoader.KEYSTORES_PREFIX + name + "." + k, v));
        return this;
    }

    /** {@code dataenc.registry.url} (and optional user); without it the registry is an H2 file in the base directory. */
    public DataEncSettings registry(String jdbcUrl, String user) {
        set(ConfigLoader.REGISTRY_URL, jdbcUrl);
        if (user != null) {
            set(ConfigLoader.REGISTRY_USER, user);
        }
        return this;
    }

    /** Looks up the {@code *-env} keys' environment variables here instead of {@link System#getenv(String)}. */
    public DataEncSettings environment(Function<String, String> lookup) {
        this.env = Objects.requireNonNull(lookup, "lookup");
        return this;
    }

    /**
     * Validates the settings.
     *
     * @return the configuration
     * @throws DataEncConfigException listing every problem
     */
    public DataEncConfig build() {
        return ConfigLoader.fromMap(values, baseDir, env);
    }

    /** The keys set so far, secrets masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        values.forEach((k, v) -> shown.put(k, k.contains("password") && !k.endsWith("-env") ? "****" : v));
        return "DataEncSettings[" + baseDir + ", " + shown + "]";
    }
}
