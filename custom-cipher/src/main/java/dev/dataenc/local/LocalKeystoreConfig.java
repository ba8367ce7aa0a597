package dev.dataenc.local;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code local} keystore's settings, parsed and checked (see {@link LocalKeystore} for their meaning).
 * Holds the password; {@link #toString()} never shows it.
 */
final class LocalKeystoreConfig {

    static final String PATH = "path";
    static final String PASSWORD_ENV = "password-env";
    static final String PASSWORD = "password";
    static final String MASTER_KEY = "master-key";
    static final String WRAP_ALGORITHM = "wrap-algorithm";
    static final String CREATE = "create";

    static final String DEFAULT_PASSWORD_ENV = "DATAENC_LOCAL_KEYSTORE_PASSWORD";
    static final String DEFAULT_MASTER_KEY = "dataenc-master";

    private static final Pattern MASTER_KEY_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    final Path path;
    final char[] password;
    final String passwordOrigin;
    final String masterKey;
    final WrapAlgorithm wrapAlgorithm;
    /** True when the deprecated setting {@code create=true} was given explicitly (it no longer creates anything). */
    final boolean createRequested;

    private LocalKeystoreConfig(Path path, char[] password, String passwordOrigin, String masterKey,
                                WrapAlgorithm wrapAlgorithm, boolean createRequested) {
        this.path = path;
        this.password = password;
        this.passwordOrigin = passwordOrigin;
        this.masterKey = masterKey;
        this.wrapAlgorithm = wrapAlgorithm;
        this.createRequested = createRequested;
    }

    /**
     * Parses the settings; {@code env} looks up environment variables (System::getenv in production).
     *
     * @throws KeystoreConfigurationException naming the setting that is missing or wrong
     */
    static LocalKeystoreConfig parse(KeystoreSettings s, Function<String, String> env) {
        Path path;
        try {
            path = Path.of(s.require(PATH));
        } catch (InvalidPathException e) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + PATH + "' is not a valid file path: "
                    + e.getMessage(), e);
        }

        String masterKey = s.get(MASTER_KEY, DEFAULT_MASTER_KEY).toLowerCase(Locale.ROOT);
        if (!MASTER_KEY_NAME.matcher(masterKey).matches()) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + MASTER_KEY + "' is '" + masterKey
                    + "'; use 1-64 letters, digits, '-' or '_' starting with a letter or digit (case-insensitive)");
        }

        String alg = s.get(WRAP_ALGORITHM, WrapAlgorithm.AES_GCM.settingValue());
        WrapAlgorithm wrapAlgorithm = WrapAlgorithm.fromSetting(alg).orElseThrow(() -> new KeystoreConfigurationException(
                s.describe() + ": setting '" + WRAP_ALGORITHM + "' is '" + alg + "'; valid values: "
                        + WrapAlgorithm.validSettings()));

        String createText = s.get(CREATE, "false").toLowerCase(Locale.ROOT);
        if (!createText.equals("true") && !createText.equals("false")) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + CREATE + "' is '" + createText
                    + "'; valid values: true, false");
        }

        Optional<String> inline = s.get(PASSWORD);
        Optional<String> envName = s.get(PASSWORD_ENV);
        char[] password;
        String origin;
        if (inline.isPresent()) {
            if (envName.isPresent()) {
                throw new KeystoreConfigurationException(s.describe() + ": both '" + PASSWORD + "' and '" + PASSWORD_ENV
                        + "' are set; set only one (prefer '" + PASSWORD_ENV + "': inline passwords are for tests and demos)");
            }
            password = s.values().get(PASSWORD).toCharArray(); // untrimmed: spaces may be part of a password
            origin = "setting '" + PASSWORD + "'";
        } else {
            String var = envName.orElse(DEFAULT_PASSWORD_ENV);
            String value = env.apply(var);
            if (value == null || value.isEmpty()) {
                throw new KeystoreConfigurationException(s.describe() + ": no password for keystore file " + path
                        + ". Set the environment variable " + var + " to the keystore password"
                        + (envName.isPresent() ? "" : " (or name another variable with setting '" + PASSWORD_ENV + "')")
                        + " and restart.");
            }
            password = value.toCharArray();
            origin = "environment variable " + var;
        }
        return new LocalKeystoreConfig(path, password, origin, masterKey, wrapAlgorithm, createText.equals("true"));
    }

    /** True when the password is shorter than a new keystore file needs. */
    boolean shortPassword() {
        return password.length < Pkcs12Protection.MIN_PASSWORD_LENGTH;
    }

    @Override
    public String toString() {
        return "LocalKeystoreConfig[path=" + path + ", password from " + passwordOrigin + ", master-key=" + masterKey
                + ", wrap-algorithm=" + wrapAlgorithm.settingValue() + "]";
    }
}
