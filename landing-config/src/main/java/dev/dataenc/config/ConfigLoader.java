package dev.dataenc.config;

import dev.dataenc.config.DataEncConfigException.Problem;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.LegacyCdkPolicy;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.registry.RegistryUrlPolicy;
import dev.dataenc.registry.UnsafeRegistryUrlException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates the data-encryption configuration, a {@code .properties} file (UTF-8), or the same
 * keys given in code ({@link #fromMap}, {@link #fromProperties}, {@link DataEncSettings}): both go through
 * the same validation and give the same {@link DataEncConfigException}s. Every key is documented in
 * {@code docs/CONFIGURATION.md}.
 *
 * <p>Validation happens up front and is complete: every problem in the file (unknown or
 * misspelt keys, missing or invalid values, unknown keystore types or settings, a cipher type
 * that does not match the active keystore, a missing password environment variable) is
 * collected and reported in one {@link DataEncConfigException}, one line per problem naming
 * the file, the key and what would be valid. Secret values never appear in messages.
 *
 * <p>The file has {@link Properties} syntax (a backslash escapes the next character: write {@code \\}
 * for one). Values are taken literally: no list splitting at commas, no {@code ${...}} interpolation,
 * no {@code include}. Keys outside {@code dataenc.} are ignored, so the file may be shared.
 * Relative keystore {@code path} settings are resolved against the directory of the
 * configuration file. Keystores are not opened here; a wrong keystore password or a missing
 * keystore file is found when the keystore opens.
 */
public final class ConfigLoader {

    /** Prefix of every key this loader reads. */
    public static final String PREFIX = "dataenc.";
    /** {@code platform}, {@code custom} or {@code keystore}; must match the active keystore's type. */
    public static final String CIPHER_TYPE = "dataenc.cipher-type";
    /** Name of the active keystore. */
    public static final String KEYSTORE_ACTIVE = "dataenc.keystore.active";
    /** Prefix of the keystore keys: {@code dataenc.keystores.<name>.type} and {@code dataenc.keystores.<name>.<setting>}. */
    public static final String KEYSTORES_PREFIX = "dataenc.keystores.";
    /**
     * Keys of the admin web console ({@code dataenc serve}: admin accounts, token variable); read and validated by the
     * console, skipped here, so applications sharing the file ignore them.
     */
    public static final String CONSOLE_PREFIX = "dataenc.console.";
    /** The keystore setting holding its type. */
    public static final String TYPE_SETTING = "type";
    /** The keystore setting resolved against the configuration file's directory when relative. */
    public static final String PATH_SETTING = "path";
    /** JDBC URL of the CDK registry. */
    public static final String REGISTRY_URL = "dataenc.registry.url";
    /** Database user of the CDK registry. */
    public static final String REGISTRY_USER = "dataenc.registry.user";
    /** Database password of the CDK registry (inline; prefer {@link #REGISTRY_PASSWORD_ENV}). */
    public static final String REGISTRY_PASSWORD = "dataenc.registry.password";
    /** Name of the environment variable holding the registry password. */
    public static final String REGISTRY_PASSWORD_ENV = "dataenc.registry.password-env";
    /** How long a registry call waits for a database connection before it fails. */
    public static final String REGISTRY_CONNECT_TIMEOUT = "dataenc.registry.connect-timeout";
    /** How long an unwrapped CDK stays cached. */
    public static final String CACHE_MAX_AGE = "dataenc.cache.max-age";
    /** How many unwrapped CDKs are cached at most. */
    public static final String CACHE_MAX_ENTRIES = "dataenc.cache.max-entries";
    /** How often the ACTIVE CDK id is re-read from the registry. */
    public static final String CACHE_ACTIVE_REFRESH = "dataenc.cache.active-refresh";
    /** What the cache does with a CDK without a key check value: {@code warn}, {@code decrypt-only} or {@code refuse}. */
    public static final String CACHE_LEGACY_CDKS = "dataenc.cache.legacy-cdks";
    /** Maximum age of the ACTIVE CDK before rotation. */
    public static final String ROTATION_MAX_AGE = "dataenc.rotation.max-age";
    /** Maximum number of encryptions under one CDK before rotation. */
    public static final String ROTATION_MAX_MESSAGES = "dataenc.rotation.max-messages";
    /** How often the configuration file is checked for changes. */
    public static final String RELOAD_INTERVAL = "dataenc.reload.interval";
    /** Lease of a keystore-switch job. */
    public static final String SWITCH_LEASE = "dataenc.switch.lease";
    /** Whether a file naming another active keystore than the registry's starts the guarded switch (default false). */
    public static final String SWITCH_ON_FILE_CHANGE = "dataenc.keystore.switch-on-file-change";
    /** After how many missed heartbeats a node shows as stale. */
    public static final String CLUSTER_STALE_HEARTBEATS = "dataenc.cluster.stale-heartbeats";
    /** After how long without a heartbeat a node's row is deleted. */
    public static final String CLUSTER_NODE_EXPIRY = "dataenc.cluster.node-expiry";

    /** Every fixed key, in documentation order (keystore keys are {@link #KEYSTORES_PREFIX}{@code <name>.<setting>}). */
    public static final List<String> KEYS = List.of(CIPHER_TYPE, KEYSTORE_ACTIVE, SWITCH_ON_FILE_CHANGE,
            REGISTRY_URL, REGISTRY_USER, REGISTRY_PASSWORD, REGISTRY_PASSWORD_ENV, REGISTRY_CONNECT_TIMEOUT,
            CACHE_MAX_AGE, CACHE_MAX_ENTRIES, CACHE_ACTIVE_REFRESH, CACHE_LEGACY_CDKS,
            ROTATION_MAX_AGE, ROTATION_MAX_MESSAGES, RELOAD_INTERVAL, SWITCH_LEASE,
            CLUSTER_STALE_HEARTBEATS, CLUSTER_NODE_EXPIRY);

    /** The configuration value of a legacy-CDK policy ({@code warn}, {@code decrypt-only}, {@code refuse}). */
    public static String legacyName(LegacyCdkPolicy policy) {
        return policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Valid keystore names: 1-64 lower-case letters, digits, {@code -} or {@code _}, starting with a letter or digit. */
    public static final Pattern KEYSTORE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** Smallest reload interval and switch lease. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String NAME_RULE = "use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit";

    private ConfigLoader() {
    }

    /**
     * Loads and validates a configuration file, looking up environment variables with {@link System#getenv(String)}.
     *
     * @param file the {@code .properties} file
     * @return the validated configuration
     * @throws DataEncConfigException listing every problem, or naming the file and why it cannot be read
     */
    public static DataEncConfig load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * Loads and validates a configuration file.
     *
     * @param file the {@code .properties} file
     * @param env  looks up environment variables named by {@code *-env} keys ({@code System::getenv} in production)
     * @return the validated configuration
     * @throws DataEncConfigException listing every problem, or naming the file and why it cannot be read
     */
    public static DataEncConfig load(Path file, Function<String, String> env) {
        Path abs = file.toAbsolutePath();
        Path parent = abs.getParent();
        return new Validation(abs, parent != null ? parent : abs.getRoot(), env).run(read(file));
    }

    /**
     * Validates settings given in code, the same keys and rules as the file's (see {@code docs/CONFIGURATION.md}),
     * looking up environment variables with {@link System#getenv(String)}.
     *
     * @param settings  key to value, e.g. {@code dataenc.keystore.active -> primary}; keys outside {@code dataenc.} are ignored
     * @param baseDir   the directory relative keystore paths resolve against, and where the default H2 registry lives
     * @return the validated configuration ({@link DataEncConfig#source()} is {@code null})
     * @throws DataEncConfigException listing every problem, exactly as for a file with these lines
     */
    public static DataEncConfig fromMap(Map<String, String> settings, Path baseDir) {
        return fromMap(settings, baseDir, System::getenv);
    }

    /**
     * As {@link #fromMap(Map, Path)} with its own environment lookup (for the {@code *-env} keys).
     *
     * @param settings key to value
     * @param baseDir  the directory relative paths resolve against
     * @param env      environment variable lookup
     * @return the validated configuration
     * @throws DataEncConfigException listing every problem
     */
    public static DataEncConfig fromMap(Map<String, String> settings, Path baseDir, Function<String, String> env) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(env, "env");
        Map<String, List<String>> values = new LinkedHashMap<>();
        settings.forEach((k, v) -> values.put(Objects.requireNonNull(k, "key"), List.of(v == null ? "" : v)));
        return new Validation(null, baseDir.toAbsolutePath().normalize(), env).run(values);
    }

    /**
     * As {@link #fromMap(Map, Path)} for a {@link Properties} object (string keys and values only).
     *
     * @param settings the properties, e.g. loaded by the application from its own source
     * @param baseDir  the directory relative paths resolve against
     * @return the validated configuration
     * @throws DataEncConfigException listing every problem
     */
    public static DataEncConfig fromProperties(Properties settings, Path baseDir) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : settings.stringPropertyNames()) {
            map.put(name, settings.getProperty(name));
        }
        return fromMap(map, baseDir);
    }

    /**
     * The registry URL used when {@code dataenc.registry.url} is not set: an embedded H2 database
     * file {@code registry.mv.db} in the configuration file's directory (the same URL as
     * {@code RegistryDatabase.h2Url(dir)}).
     *
     * @param dir the configuration file's directory
     * @return {@code jdbc:h2:file:<dir>/registry}
     */
    public static String defaultRegistryUrl(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry") + "";
    }

    /**
     * Checks that {@code file} is a readable regular file.
     *
     * @return the problem, or empty when the file can be read
     */
    static Optional<DataEncConfigException> checkReadable(Path file) {
        String reason = null;
        if (!Files.exists(file)) {
            reason = "does not exist";
        } else if (Files.isDirectory(file)) {
            reason = "is a directory, not a file";
        } else if (!Files.isRegularFile(file)) {
            reason = "is not a regular file";
        } else if (!Files.isReadable(file)) {
            reason = "is not readable by this process; check its permissions and owner";
        }
        if (reason == null) {
            return Optional.empty();
        }
        return Optional.of(new DataEncConfigException(null, "Cannot read the data-encryption configuration "
                + file.toAbsolutePath() + ": it " + reason + ". Point to an existing properties file (see docs/CONFIGURATION.md)."));
    }

    /** The largest configuration file read: 1 MiB (a real one has a few KiB; a larger file is another file). */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static Map<String, List<String>> read(Path file) {
        Optional<DataEncConfigException> unreadable = checkReadable(file);
        if (unreadable.isPresent()) {
            throw unreadable.get();
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw unparsable(file, e);
        }
        if (size > MAX_FILE_BYTES) {
            throw new DataEncConfigException(null, "Cannot read the data-encryption configuration " + file.toAbsolutePath()
                    + ": it is " + size + " bytes, more than any configuration file (at most 1 MiB). Point to the"
                    + " properties file (see docs/CONFIGURATION.md).");
        }
        ConfigFilePermissions.check(file);
        try {
            return PropertiesText.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw new DataEncConfigException(null, "Cannot read the data-encryption configuration " + file.toAbsolutePath()
                    + ": it is not UTF-8 text" + firstInvalidLine(file) + ". Save it as UTF-8 (e.g. iconv -f ISO-8859-1"
                    + " -t UTF-8); dataenc reads configuration files as UTF-8 only.", e);
        } catch (IOException | RuntimeException e) {
            throw unparsable(file, e);
        }
    }

    /** " (line N)" for the first line of {@code file} that is not valid UTF-8, or "" if it cannot be told. */
    private static String firstInvalidLine(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
            java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder()
                    .decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
            if (!r.isError()) {
                return "";
            }
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            return " (line " + line + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The exception for a file that exists but cannot be read or parsed. */
    static DataEncConfigException unparsable(Path file, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new DataEncConfigException(null, "Cannot read the data-encryption configuration " + file.toAbsolutePath()
                + ": " + root + ". Check that it is a readable properties file.", e);
    }

    /** One validation run: collects problems while reading the values. */
    private static final class Validation {
        private final Path file;
        private final Path dir;
        private final Function<String, String> env;
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, String> values = new LinkedHashMap<>();
        /** Keystore name to its type, for keystores whose type is registered (even if other settings are wrong). */
        private final Map<String, String> knownTypes = new LinkedHashMap<>();

        /** @param file the file named in messages, or null for settings given in code; @param dir resolves relative paths */
        Validation(Path file, Path dir, Function<String, String> env) {
            this.file = file;
            this.dir = dir;
            this.env = env;
        }

        DataEncConfig run(Map<String, List<String>> config) {
            for (Map.Entry<String, List<String>> e : config.entrySet()) {
                String key = e.getKey();
                if (!key.startsWith(PREFIX) || key.startsWith(CONSOLE_PREFIX)) {
                    continue;
                }
                List<String> all = e.getValue();
                if (all.size() > 1) {
                    problem(key, "is set " + all.size() + " times; keep exactly one line for it");
                    continue;
                }
                String value = all.isEmpty() || all.get(0) == null ? "" : all.get(0);
                values.put(key, isSecret(key) ? value : value.trim()); // spaces may be part of a password
            }

            Map<String, Map<String, String>> keystoreValues = sortKeys();
            Map<String, KeystoreSettings> keystores = keystores(keystoreValues);
            Optional<CipherType> cipherType = cipherType();
            Optional<String> active = active(keystoreValues);
            if (cipherType.isPresent() && active.isPresent() && knownTypes.containsKey(active.get())) {
                String activeType = knownTypes.get(active.get());
                CipherType needed = CipherType.ofKeystoreType(activeType);
                if (needed != cipherType.get()) {
                    problem(CIPHER_TYPE, "is '" + cipherType.get() + "' but " + KEYSTORE_ACTIVE + " names keystore '"
                            + active.get() + "' of type '" + activeType + "', which needs cipher type '" + needed
                            + "'; set " + CIPHER_TYPE + "=" + needed + " or make " + KEYSTORE_ACTIVE
                            + " name a keystore whose type fits '" + cipherType.get() + "'");
                }
            }
            RegistrySettings registry = registry();
            CacheLimits cache = cache();
            RotationPolicy rotation = rotation();
            Duration reload = duration(RELOAD_INTERVAL, DataEncConfig.DEFAULT_RELOAD_INTERVAL, MIN_INTERVAL, null);
            Duration lease = duration(SWITCH_LEASE, DataEncConfig.DEFAULT_SWITCH_LEASE, MIN_INTERVAL, null);
            ClusterSettings cluster = cluster();

            if (!problems.isEmpty()) {
                List<String> order = List.copyOf(values.keySet());
                problems.sort(java.util.Comparator.comparingInt(p -> {
                    int i = p.key() == null ? -1 : order.indexOf(p.key());
                    return i < 0 ? Integer.MAX_VALUE : i; // keys not in the file (missing ones) last
                }));
                throw DataEncConfigException.of(file, problems);
            }
            try {
                return new DataEncConfig(file, cipherType.orElseThrow(), active.orElseThrow(), keystores, registry, cache,
                        rotation, reload, lease, cluster);
            } catch (IllegalArgumentException e) {
                // every rule of DataEncConfig is checked above; this is a safety net
                throw DataEncConfigException.of(file, List.of(new Problem(null, e.getMessage())));
            }
        }

        /** Reports unknown keys; groups the keystore keys by keystore name (file order). */
        private Map<String, Map<String, String>> sortKeys() {
            Map<String, Map<String, String>> byName = new LinkedHashMap<>();
            Set<String> badNames = new LinkedHashSet<>();
            for (Map.Entry<String, String> e : values.entrySet()) {
                String key = e.getKey();
                if (KEYS.contains(key)) {
                    continue;
                }
                if (!key.startsWith(KEYSTORES_PREFIX)) {
                    problem(key, unknownKeyMessage(key));
                    continue;
                }
                String rest = key.substring(KEYSTORES_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    problem(key, "is not a keystore key; use " + KEYSTORES_PREFIX + "<name>." + TYPE_SETTING + " and "
                            + KEYSTORES_PREFIX + "<name>.<setting>");
                    continue;
                }
                String name = rest.substring(0, dot);
                if (!KEYSTORE_NAME.matcher(name).matches()) {
                    if (badNames.add(name)) {
                        problem(key, "keystore name '" + name + "' is not valid; " + NAME_RULE);
                    }
                    continue;
                }
                byName.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
            }
            return byName;
        }

        private String unknownKeyMessage(String key) {
            if (key.startsWith("dataenc.keystore.")) {
                return "unknown key; keystore settings go under " + KEYSTORES_PREFIX + "<name>. (plural), e.g. "
                        + KEYSTORES_PREFIX + key.substring("dataenc.keystore.".length()) + "; the only "
                        + "dataenc.keystore. keys are " + KEYSTORE_ACTIVE + " and " + SWITCH_ON_FILE_CHANGE;
            }
            int lastDot = key.lastIndexOf('.');
            String section = key.substring(0, lastDot + 1);
            List<String> sameSection = KEYS.stream().filter(k -> k.startsWith(section) && section.length() > PREFIX.length()).toList();
            String valid = sameSection.isEmpty()
                    ? "valid keys: " + String.join(", ", KEYS) + ", " + KEYSTORES_PREFIX + "<name>.<setting>"
                    : "valid " + section.substring(0, section.length() - 1) + " keys: " + String.join(", ", sameSection);
            return "unknown key" + Suggestions.didYouMean(key, KEYS) + " (" + valid + ")";
        }

        private Map<String, KeystoreSettings> keystores(Map<String, Map<String, String>> byName) {
            Map<String, KeystoreSettings> result = new LinkedHashMap<>();
            if (byName.isEmpty()) {
                problem(KEYSTORES_PREFIX + "<name>." + TYPE_SETTING, "no keystore is configured; add at least one, e.g. "
                        + KEYSTORES_PREFIX + "primary." + TYPE_SETTING + "=local and " + KEYSTORES_PREFIX
                        + "primary.path=keystore.p12");
                return result;
            }
            List<String> registered = registeredTypes();
            for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
                String name = e.getKey();
                Map<String, String> settings = new LinkedHashMap<>(e.getValue());
                String typeKey = KEYSTORES_PREFIX + name + "." + TYPE_SETTING;
                String type = settings.remove(TYPE_SETTING);
                String typesText = registered == null ? "(none could be listed)" : String.join(", ", registered);
                if (type == null || type.isEmpty()) {
                    problem(typeKey, "missing; set the type of keystore '" + name + "' to one of the registered types: " + typesText);
                    continue;
                }
                if (registered == null) {
                    continue;
                }
                if (!registered.contains(type)) {
                    problem(typeKey, "unknown keystore type '" + type + "'" + Suggestions.didYouMean(type, registered)
                            + "; registered types: " + typesText + " (add the jar that provides '" + type
                            + "' to the class path, or fix the type)");
                    continue;
                }
                knownTypes.put(name, type);
                KeystoreProvider provider;
                try {
                    provider = Keystores.provider(type);
                } catch (DataEncException ex) {
                    problem(typeKey, ex.getMessage());
                    continue;
                }
                boolean valid = checkSettingNames(name, type, settings.keySet(), provider.settingNames());
                valid &= resolvePath(name, settings);
                if (valid) {
                    result.put(name, KeystoreSettings.of(name, type, settings));
                }
            }
            return result;
        }

        /** The registered keystore types, or null (after reporting it) when discovery fails. */
        private List<String> registeredTypes() {
            try {
                return Keystores.registeredTypes();
            } catch (DataEncException e) {
                problem(null, e.getMessage());
                return null;
            }
        }

        private boolean checkSettingNames(String name, String type, Set<String> settings, Set<String> known) {
            if (known.isEmpty()) {
                return true;
            }
            boolean ok = true;
            Set<String> sorted = new TreeSet<>(known);
            for (String s : settings) {
                if (!known.contains(s)) {
                    ok = false;
                    problem(KEYSTORES_PREFIX + name + "." + s, "unknown setting for keystore type '" + type + "'"
                            + Suggestions.didYouMean(s, sorted) + " (valid settings: " + TYPE_SETTING + ", "
                            + String.join(", ", sorted) + ")");
                }
            }
            return ok;
        }

        /** Resolves a relative {@code path} setting against the configuration file's directory. */
        private boolean resolvePath(String name, Map<String, String> settings) {
            String value = settings.get(PATH_SETTING);
            if (value == null || value.isEmpty()) {
                return true;
            }
            try {
                Path p = Path.of(value);
                settings.put(PATH_SETTING, (p.isAbsolute() ? p : dir.resolve(p)).normalize().toString());
                return true;
            } catch (InvalidPathException e) {
                problem(KEYSTORES_PREFIX + name + "." + PATH_SETTING, "is not a valid file path (" + e.getReason()
                        + "); give an absolute path or one relative to " + dir);
                return false;
            }
        }

        private Optional<CipherType> cipherType() {
            String v = values.get(CIPHER_TYPE);
            if (v == null || v.isEmpty()) {
                problem(CIPHER_TYPE, "missing; set it to " + CipherType.validValues()
                        + " (platform for a local keystore, custom for a custom one, keystore for an external one such as aws-kms)");
                return Optional.empty();
            }
            Optional<CipherType> t = CipherType.parse(v);
            if (t.isEmpty()) {
                List<String> valid = List.of("platform", "custom", "keystore");
                problem(CIPHER_TYPE, "is '" + v + "'" + Suggestions.didYouMean(v, valid) + "; valid values: "
                        + CipherType.validValues());
            }
            return t;
        }

        private Optional<String> active(Map<String, Map<String, String>> byName) {
            String v = values.get(KEYSTORE_ACTIVE);
            String configured = byName.isEmpty() ? "none yet" : String.join(", ", byName.keySet());
            if (v == null || v.isEmpty()) {
                problem(KEYSTORE_ACTIVE, "missing; set it to the name of a configured keystore (configured: " + configured + ")");
                return Optional.empty();
            }
            if (!byName.containsKey(v)) {
                problem(KEYSTORE_ACTIVE, "names keystore '" + v + "', which is not configured"
                        + Suggestions.didYouMean(v, byName.keySet()) + "; configured keystores: " + configured
                        + " (add " + KEYSTORES_PREFIX + v + "." + TYPE_SETTING + " and its settings, or name another)");
                return Optional.empty();
            }
            return Optional.of(v);
        }

        private RegistrySettings registry() {
            String url = values.get(REGISTRY_URL);
            if (url == null || url.isEmpty()) {
                url = defaultRegistryUrl(dir);
            } else if (!url.startsWith("jdbc:")) {
                problem(REGISTRY_URL, "is not a JDBC URL; use e.g. jdbc:h2:file:/var/lib/dataenc/registry or "
                        + "jdbc:postgresql://db.example.com:5432/dataenc (or remove it for the H2 default beside this file)");
            } else {
                try {
                    RegistryUrlPolicy.check(url);
                } catch (UnsafeRegistryUrlException e) {
                    problem(REGISTRY_URL, e.getMessage());
                }
            }
            String user = blankToNull(values.get(REGISTRY_USER));
            String password = values.get(REGISTRY_PASSWORD);
            if (password != null && password.isEmpty()) {
                password = null;
            }
            String envName = blankToNull(values.get(REGISTRY_PASSWORD_ENV));
            if (envName != null) {
                if (password != null) {
                    problem(REGISTRY_PASSWORD_ENV, "is set together with " + REGISTRY_PASSWORD
                            + "; set only one (prefer " + REGISTRY_PASSWORD_ENV + ")");
                } else if (!ENV_NAME.matcher(envName).matches()) {
                    problem(REGISTRY_PASSWORD_ENV, "'" + envName + "' is not an environment variable name;"
                            + " use letters, digits and '_', e.g. DATAENC_REGISTRY_PASSWORD");
                } else {
                    String fromEnv = env.apply(envName);
                    if (fromEnv == null || fromEnv.isEmpty()) {
                        problem(REGISTRY_PASSWORD_ENV, "names environment variable " + envName
                                + ", which is not set or empty; set " + envName + " to the registry database password");
                    } else {
                        password = fromEnv;
                    }
                }
            }
            Duration connectTimeout = duration(REGISTRY_CONNECT_TIMEOUT, RegistrySettings.DEFAULT_CONNECT_TIMEOUT,
                    RegistrySettings.MIN_CONNECT_TIMEOUT, RegistrySettings.MAX_CONNECT_TIMEOUT);
            return new RegistrySettings(url, user, password, connectTimeout);
        }

        private CacheLimits cache() {
            Duration maxAge = duration(CACHE_MAX_AGE, CacheLimits.DEFAULT_MAX_AGE, Duration.ofMillis(1), null);
            long entries = number(CACHE_MAX_ENTRIES, CacheLimits.DEFAULT_MAX_ENTRIES, 1, Integer.MAX_VALUE);
            Duration refresh = duration(CACHE_ACTIVE_REFRESH, CacheLimits.DEFAULT_ACTIVE_REFRESH, Duration.ofMillis(1), null);
            return new CacheLimits(maxAge, (int) entries, refresh, legacyCdks());
        }

        /** {@value #CACHE_LEGACY_CDKS}: the policy's name in lower case with {@code -} ({@code decrypt-only}). */
        private LegacyCdkPolicy legacyCdks() {
            String v = values.get(CACHE_LEGACY_CDKS);
            if (v == null || v.isEmpty()) {
                return LegacyCdkPolicy.WARN;
            }
            for (LegacyCdkPolicy p : LegacyCdkPolicy.values()) {
                if (v.equalsIgnoreCase(legacyName(p)) || v.equalsIgnoreCase(p.name())) {
                    return p;
                }
            }
            problem(CACHE_LEGACY_CDKS, "is '" + v + "'; use warn, decrypt-only or refuse (default warn)");
            return LegacyCdkPolicy.WARN;
        }

        private RotationPolicy rotation() {
            Duration maxAge = duration(ROTATION_MAX_AGE, RotationPolicy.DEFAULT_MAX_AGE, RotationPolicy.MIN_MAX_AGE,
                    RotationPolicy.MAX_MAX_AGE);
            long messages = number(ROTATION_MAX_MESSAGES, RotationPolicy.DEFAULT_MAX_MESSAGES, 1,
                    RotationPolicy.MAX_MAX_MESSAGES);
            return new RotationPolicy(maxAge, messages);
        }

        private ClusterSettings cluster() {
            boolean onFileChange = bool(SWITCH_ON_FILE_CHANGE, false);
            long stale = number(CLUSTER_STALE_HEARTBEATS, ClusterSettings.DEFAULT_STALE_HEARTBEATS, 1, 1000);
            Duration expiry = duration(CLUSTER_NODE_EXPIRY, ClusterSettings.DEFAULT_NODE_EXPIRY, Duration.ofMinutes(1), null);
            return new ClusterSettings(onFileChange, (int) stale, expiry);
        }

        /** {@code true} or {@code false} (case-insensitive), or the default (after reporting) when unset or invalid. */
        private boolean bool(String key, boolean defaultValue) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return defaultValue;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
            }
            problem(key, "is '" + v + "'; use true or false (default " + defaultValue + ")");
            return defaultValue;
        }

        /** A duration within bounds ({@code max} may be null), or the default (after reporting) when unset or invalid. */
        private Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return defaultValue;
            }
            Optional<Duration> d = Durations.parse(v);
            if (d.isEmpty()) {
                problem(key, "'" + v + "' is not a duration; use " + Durations.FORMS + " (default "
                        + Durations.format(defaultValue) + ")");
                return defaultValue;
            }
            if (d.get().compareTo(min) < 0 || (max != null && d.get().compareTo(max) > 0)) {
                problem(key, "is " + v + ", out of range; allowed " + (max == null
                        ? "at least " + Durations.format(min)
                        : Durations.format(min) + " to " + Durations.format(max))
                        + " (default " + Durations.format(defaultValue) + ")");
                return defaultValue;
            }
            return d.get();
        }

        /** A whole number within bounds, or the default (after reporting) when unset or invalid. */
        private long number(String key, long defaultValue, long min, long max) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return defaultValue;
            }
            try {
                long n = Long.parseLong(v.replace("_", ""));
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(key, "is '" + v + "'; use a whole number from " + min + " to " + max + " (default " + defaultValue + ")");
            return defaultValue;
        }

        private void problem(String key, String message) {
            problems.add(new Problem(key, message));
        }

        private static boolean isSecret(String key) {
            String last = key.substring(key.lastIndexOf('.') + 1);
            return last.contains("password") && !last.endsWith("-env");
        }

        private static String blankToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }
}
