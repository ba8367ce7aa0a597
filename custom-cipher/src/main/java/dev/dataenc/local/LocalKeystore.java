package dev.dataenc.local;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.function.Function;
import javax.crypto.SecretKey;

/**
 * The {@code local} keystore: AES-256 master keys in a password-protected PKCS#12 file that dataenc
 * administers itself ({@link MasterKeyAdmin}: rotate, disable, enable).
 *
 * <h2>Settings</h2>
 * <ul>
 *   <li>{@code path} (required): the PKCS#12 file. Relative paths resolve against the working directory.
 *       Its directory must exist. A lock file {@code <path>.lock} is kept beside it.</li>
 *   <li>{@code password-env}: name of the environment variable that holds the file's password; default
 *       {@code DATAENC_LOCAL_KEYSTORE_PASSWORD}.</li>
 *   <li>{@code password}: the password inline, for tests and demos only; mutually exclusive with
 *       {@code password-env}. Without either, the default environment variable must be set.</li>
 *   <li>{@code master-key}: name of the master key in the file (case-insensitive, letters, digits, '-', '_');
 *       default {@code dataenc-master}. Several master keys can share one file.</li>
 *   <li>{@code wrap-algorithm}: {@code aes-gcm} (default; AES-256-GCM, random 96-bit IV) or {@code aes-kwp}
 *       (AES key wrap with padding, RFC 5649). Only affects new wrappings: both are always unwrapped.</li>
 *   <li>{@code create}: deprecated, has no effect (accepted so that older configuration files still load).
 *       Opening never creates a file or master key; {@link #createMasterKey} ({@code dataenc keystore create})
 *       does.</li>
 * </ul>
 *
 * <h2>On disk</h2>
 * Entry {@code <master-key>.vN} is version N of the master key (AES-256 {@code SecretKeyEntry}); the highest
 * N wraps, every version unwraps. Entry {@code <master-key>.disabled} exists while the key is disabled.
 * The master key id is {@code <master-key>/<16 hex digits>}, the hex digits an HMAC-SHA256 fingerprint of
 * version 1, so two files with the same master-key name are told apart. Changes are written atomically
 * under a file lock (see {@link MasterKeyFile}); before each operation the file's stamp (modification
 * time, size, inode) is compared and the file re-read if another process changed it.
 *
 * <p>Key bags and the file's MAC use PBKDF2 / PKCS#12 key derivation with 600,000 iterations
 * ({@link Pkcs12Protection}); new files need a password of at least 12 characters. Older files still open
 * (with a warning) and are upgraded at their next change.
 *
 * <p>Wrapped keys start with a format byte (see {@link LocalWrappedKey}); the master key version is
 * {@link Wrapping#masterKeyVersion()}. Thread-safe. The password is never logged or shown.
 */
public final class LocalKeystore implements Keystore, MasterKeyAdmin {

    /** The type name in configuration. */
    public static final String TYPE = "local";

    private final String name;
    private final LocalKeystoreConfig config;
    private final MasterKeyFile file;
    private volatile MasterKeySet keys;
    private volatile boolean closed;

    private LocalKeystore(String name, LocalKeystoreConfig config, MasterKeyFile file, MasterKeySet keys) {
        this.name = name;
        this.config = config;
        this.file = file;
        this.keys = keys;
    }

    /**
     * Opens the keystore described by {@code settings}, reading the password from the process environment.
     * Never creates anything: see {@link #createMasterKey(KeystoreSettings)}.
     *
     * @throws KeystoreUnavailableException (state NOT_FOUND) if the file or the master key in it does not exist,
     *         saying how to create it and that the other nodes need a copy of the same file
     * @throws KeystoreConfigurationException naming the setting, file or password source that is wrong
     */
    public static LocalKeystore open(KeystoreSettings settings) {
        return open(settings, System::getenv);
    }

    /** As {@link #open(KeystoreSettings)} with a given environment lookup (for tests). */
    static LocalKeystore open(KeystoreSettings settings, Function<String, String> env) {
        LocalKeystoreConfig config = LocalKeystoreConfig.parse(settings, env);
        MasterKeyFile file = masterKeyFile(settings, config);
        if (!file.exists()) {
            throw new KeystoreUnavailableException(settings.name(), MasterKeyState.NOT_FOUND, "keystore '" + settings.name()
                    + "': master key file " + file.path() + " does not exist; create it with `dataenc keystore create "
                    + settings.name() + "` on ONE node and copy it to the others (or fix 'path' or restore the file)."
                    + " Opening a keystore never creates a master key.");
        }
        MasterKeySet keys = file.load();
        if (!keys.exists()) {
            throw new KeystoreUnavailableException(settings.name(), MasterKeyState.NOT_FOUND, "keystore '" + settings.name()
                    + "': master key file " + file.path() + " has no master key '" + config.masterKey + "'; fix 'master-key',"
                    + " or create it with `dataenc keystore create " + settings.name() + "` on ONE node and copy the file"
                    + " to the others.");
        }
        OpenWarnings.check(settings.name(), config, file.path(), keys);
        return new LocalKeystore(settings.name(), config, file, keys);
    }

    /**
     * Creates the master key described by {@code settings}: a new keystore file (owner-only, 0600 on POSIX)
     * holding its version 1, or, when the file exists and holds other master keys, a new entry in it. This is
     * the only way a {@code local} master key comes into being; run it on one node and copy the file to the
     * others. Needs a password of at least 12 characters.
     *
     * @return the new master key (its id carries the key's fingerprint)
     * @throws KeystoreConfigurationException if the master key exists already, the password is too short, or a
     *         setting is wrong; nothing is changed
     */
    public static MasterKeyDescription createMasterKey(KeystoreSettings settings) {
        return createMasterKey(settings, System::getenv);
    }

    /** As {@link #createMasterKey(KeystoreSettings)} with a given environment lookup (for tests). */
    static MasterKeyDescription createMasterKey(KeystoreSettings settings, Function<String, String> env) {
        LocalKeystoreConfig config = LocalKeystoreConfig.parse(settings, env);
        try {
            if (config.shortPassword()) {
                throw new KeystoreConfigurationException(settings.describe() + ": the password (from " + config.passwordOrigin
                        + ") has " + config.password.length + " characters; a new keystore file needs at least "
                        + Pkcs12Protection.MIN_PASSWORD_LENGTH + ". Choose a longer one (e.g. 20 random characters); nothing"
                        + " was created.");
            }
            MasterKeyFile file = masterKeyFile(settings, config);
            MasterKeySet keys = file.create();
            return new MasterKeyDescription(settings.name(), keys.masterKeyId(), String.valueOf(keys.currentVersion()),
                    MasterKeyState.ENABLED, "created in file " + file.path() + " (owner-only); copy this file to every"
                    + " node that uses keystore '" + settings.name() + "'");
        } finally {
            Arrays.fill(config.password, '\0');
        }
    }

    private static MasterKeyFile masterKeyFile(KeystoreSettings settings, LocalKeystoreConfig config) {
        MasterKeyFile file = new MasterKeyFile(settings.describe(), config.path, config.masterKey, config.password,
                config.passwordOrigin);
        if (!Files.isDirectory(file.path().getParent())) {
            throw new KeystoreConfigurationException(settings.describe() + ": the directory of keystore file "
                    + file.path() + " does not exist; create it (readable by the service account only) or fix 'path'");
        }
        return file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public GeneratedDataKey generateDataKey(CdkId cdkId) {
        MasterKeySet k = usableKeys();
        return GeneratedDataKey.wrapNew(cdkId, key -> wrap(k, key));
    }

    @Override
    public Wrapping wrap(DataKey key) {
        return wrap(usableKeys(), key);
    }

    private Wrapping wrap(MasterKeySet k, DataKey key) {
        int version = k.currentVersion();
        byte[] plain = key.getEncoded();
        try {
            byte[] wrapped = LocalWrappedKey.wrap(config.wrapAlgorithm, k.versions().get(version), version,
                    key.cdkId(), plain);
            return new Wrapping(name, k.masterKeyId(), String.valueOf(version), wrapped);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        if (!canUnwrap(wrapping)) {
            throw new IllegalArgumentException("wrapping of keystore '" + wrapping.keystoreName() + "' master key '"
                    + wrapping.masterKeyId() + "' given to local keystore '" + name + "' (master key '"
                    + keys.masterKeyId() + "'); choose the keystore with canUnwrap");
        }
        MasterKeySet k = usableKeys();
        String what = "CDK " + cdkId + " (master key " + wrapping.masterKeyId() + " version '"
                + wrapping.masterKeyVersion() + "')";
        int version = parseVersion(wrapping.masterKeyVersion(), what);
        SecretKey masterKey = k.versions().get(version);
        if (masterKey == null) {
            throw new WrappedKeyException("the wrapping of " + what + " names master key version " + version
                    + ", which is not in keystore file " + file.path() + " (it has versions " + k.versions().keySet()
                    + "); was the file replaced by an older copy?");
        }
        byte[] plain = LocalWrappedKey.unwrap(masterKey, version, cdkId, wrapping.wrappedKey(), what);
        try {
            return DataKey.copyOf(cdkId, plain);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    private static int parseVersion(String text, String what) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new WrappedKeyException("the wrapping of " + what + " has master key version '" + text
                + "'; the local keystore's versions are whole numbers from 1");
    }

    /** True when the wrapping was made by this keystore name and this file's master key. */
    @Override
    public boolean canUnwrap(Wrapping wrapping) {
        return name.equals(wrapping.keystoreName()) && keys.masterKeyId().equals(wrapping.masterKeyId());
    }

    @Override
    public MasterKeyDescription describe() {
        MasterKeySet k;
        try {
            k = current();
        } catch (KeystoreUnavailableException e) {
            return new MasterKeyDescription(name, keys.masterKeyId(), "", e.state(), e.getMessage());
        }
        MasterKeyState state = k.disabled() ? MasterKeyState.DISABLED : MasterKeyState.ENABLED;
        return new MasterKeyDescription(name, k.masterKeyId(), String.valueOf(k.currentVersion()), state,
                "file " + file.path() + ", versions " + k.versions().keySet() + ", new wrappings use "
                        + config.wrapAlgorithm.settingValue());
    }

    /** Adds a new master key version that new wrappings use; refused while the key is disabled. */
    @Override
    public MasterKeyDescription rotateMasterKey() {
        usableKeys();
        keys = change(file::addVersion);
        return describe();
    }

    @Override
    public void disableMasterKey() {
        keys = change(ks -> file.setDisabled(ks, true));
    }

    @Override
    public void enableMasterKey() {
        keys = change(ks -> file.setDisabled(ks, false));
    }

    private MasterKeySet change(MasterKeyFile.Change change) {
        checkOpen();
        synchronized (this) {
            try {
                return file.change(change);
            } catch (KeystoreConfigurationException e) {
                throw unreachable(e);
            }
        }
    }

    /** The current keys, re-read if the file changed; throws if the master key is not usable. */
    private MasterKeySet usableKeys() {
        MasterKeySet k = current();
        if (k.disabled()) {
            throw new KeystoreUnavailableException(name, MasterKeyState.DISABLED, "local keystore '" + name
                    + "': master key '" + k.masterKeyId() + "' in file " + file.path() + " is " + MasterKeyState.DISABLED
                    + ": " + MasterKeyState.DISABLED.remedy());
        }
        return k;
    }

    private MasterKeySet current() {
        checkOpen();
        MasterKeySet k = keys;
        FileStamp now;
        try {
            now = FileStamp.of(file.path());
        } catch (IOException e) {
            throw new KeystoreUnavailableException(name, MasterKeyState.UNREACHABLE, "local keystore '" + name
                    + "': keystore file " + file.path() + " cannot be read (" + e.getClass().getSimpleName() + "): "
                    + MasterKeyState.UNREACHABLE.remedy(), e);
        }
        if (now.equals(k.stamp())) {
            return k;
        }
        synchronized (this) {
            k = keys;
            if (!now.equals(k.stamp())) {
                try {
                    k = file.load();
                } catch (KeystoreConfigurationException e) {
                    throw unreachable(e);
                }
                if (!k.exists()) {
                    throw new KeystoreUnavailableException(name, MasterKeyState.NOT_FOUND, "local keystore '" + name
                            + "': keystore file " + file.path() + " no longer has master key '" + config.masterKey
                            + "': " + MasterKeyState.NOT_FOUND.remedy());
                }
                keys = k;
            }
            return k;
        }
    }

    private KeystoreUnavailableException unreachable(KeystoreConfigurationException e) {
        return new KeystoreUnavailableException(name, MasterKeyState.UNREACHABLE, e.getMessage() + " (" + MasterKeyState.UNREACHABLE.remedy() + ")", e);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("local keystore '" + name + "' is closed");
        }
    }

    /** Forgets the password and master keys; the keystore cannot be used afterwards. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            Arrays.fill(config.password, '\0');
        }
    }

    @Override
    public String toString() {
        return "LocalKeystore[name=" + name + ", file=" + file.path() + ", master-key=" + config.masterKey
                + ", wrap-algorithm=" + config.wrapAlgorithm.settingValue() + "]";
    }
}
