package dev.dataenc.pkcs11;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.SecretKey;

/**
 * The {@code pkcs11} keystore: the master key is an AES-256 secret key on a PKCS#11 token (an HSM, or SoftHSM2),
 * used through the JDK's SunPKCS11 provider. It never leaves the token: CDKs are wrapped and unwrapped by
 * AES-256-GCM on the token ({@code CKM_AES_GCM}), each bound to its CDK id as associated data
 * ({@link Pkcs11WrappedKey}).
 *
 * <h2>Settings</h2>
 * <ul>
 *   <li>{@code library} (required): path of the token's PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}.</li>
 *   <li>exactly one of {@code slot} (slot id), {@code slot-index} (position in the slot list) or {@code token-label}
 *       (needs the JVM option {@value TokenSlots#ADD_EXPORTS}).</li>
 *   <li>{@code key-label} (required): CKA_LABEL of the master key.</li>
 *   <li>{@code pin-env}: name of the environment variable holding the user PIN (default
 *       {@value Pkcs11Settings#DEFAULT_PIN_ENV}). The PIN is never a setting.</li>
 *   <li>{@code former-key-labels}: comma-separated labels of earlier master keys on the same token whose
 *       wrappings this keystore still unwraps.</li>
 * </ul>
 *
 * <p>The master key id is {@code <key label>/<16 hex digits>}, the digits a fingerprint made on the token
 * ({@link Pkcs11WrappedKey#fingerprint}), so a different key under the same label is told apart. Thread-safe.
 * States: a key the token refuses to use (CKA_ENCRYPT/CKA_DECRYPT false) is {@link MasterKeyState#DISABLED}; a
 * missing label {@link MasterKeyState#NOT_FOUND}; an absent token {@link MasterKeyState#UNREACHABLE}; other token
 * errors {@link MasterKeyState#UNAVAILABLE}.
 */
public final class Pkcs11Keystore implements Keystore {

    /** The type name in configuration. */
    public static final String TYPE = "pkcs11";

    private static final String DISABLED_HINT = "the token refuses encryption with it (CKA_ENCRYPT or CKA_DECRYPT is"
            + " false); set both back to true with the HSM's administration tool";

    private final String name;
    private final Pkcs11Settings settings;
    private final Pkcs11Token token;
    private final Pkcs11MasterKey current;
    private final Map<String, Pkcs11MasterKey> byId;
    private volatile boolean closed;

    private Pkcs11Keystore(String name, Pkcs11Settings settings, Pkcs11Token token, Pkcs11MasterKey current,
                           Map<String, Pkcs11MasterKey> byId) {
        this.name = name;
        this.settings = settings;
        this.token = token;
        this.current = current;
        this.byId = byId;
    }

    /**
     * Opens the token (logging in with the PIN from the environment) and finds the master key and any former keys.
     * Never creates a key: see {@link #createMasterKey(KeystoreSettings)}.
     *
     * @throws Pkcs11LibraryMissingException, Pkcs11TokenAbsentException, Pkcs11PinIncorrectException,
     *         Pkcs11KeyNotFoundException, Pkcs11MechanismMissingException: each with the line that says what to do
     */
    public static Pkcs11Keystore open(KeystoreSettings settings) {
        return open(settings, System::getenv);
    }

    /** As {@link #open(KeystoreSettings)} with a given environment lookup (for tests). */
    static Pkcs11Keystore open(KeystoreSettings s, Function<String, String> env) {
        Pkcs11Settings settings = Pkcs11Settings.parse(s);
        Pkcs11Token token = login(s, settings, env);
        String describe = describe(s.name());
        WrapMechanism.require(token.provider(), describe, token.where(), false);
        Pkcs11MasterKey current = masterKey(s.name(), token, settings.keyLabel(), Pkcs11Settings.KEY_LABEL);
        Map<String, Pkcs11MasterKey> byId = new LinkedHashMap<>();
        byId.put(current.id(), current);
        for (String former : settings.formerKeyLabels()) {
            Pkcs11MasterKey k = masterKey(s.name(), token, former, Pkcs11Settings.FORMER_KEY_LABELS);
            byId.putIfAbsent(k.id(), k);
        }
        return new Pkcs11Keystore(s.name(), settings, token, current, Map.copyOf(byId));
    }

    /**
     * Generates the master key on the token: AES-256, sensitive and non-extractable (it can never be read out), a
     * token object labelled {@code key-label}. This is the only way dataenc makes a {@code pkcs11} master key; every
     * node then uses the same token (or a clone the HSM replicates).
     *
     * @throws KeystoreConfigurationException if an object with that label exists already (nothing is changed), or
     *         the token or its settings do not allow creating it
     */
    public static MasterKeyDescription createMasterKey(KeystoreSettings settings) {
        return createMasterKey(settings, System::getenv);
    }

    /** As {@link #createMasterKey(KeystoreSettings)} with a given environment lookup (for tests). */
    static MasterKeyDescription createMasterKey(KeystoreSettings s, Function<String, String> env) {
        Pkcs11Settings settings = Pkcs11Settings.parse(s);
        Pkcs11Token token = login(s, settings, env);
        String describe = describe(s.name());
        WrapMechanism.require(token.provider(), describe, token.where(), true);
        String label = settings.keyLabel();
        try {
            if (token.hasLabel(label)) {
                throw new KeystoreConfigurationException(describe + ": token " + token.where() + " already has an object"
                        + " labelled '" + label + "'; nothing was created. Use it (open the keystore) or choose another"
                        + " 'key-label'");
            }
            SecretKey key = token.generateKey(label);
            if (key == null || key.getEncoded() != null) {
                token.deleteKey(label);
                throw new KeystoreConfigurationException(describe + ": token " + token.where() + " made key '" + label
                        + "' extractable or did not store it; it was removed again. Check the token's policy for"
                        + " CKA_SENSITIVE/CKA_EXTRACTABLE");
            }
            String id = label + "/" + Pkcs11WrappedKey.fingerprint(token.provider(), key);
            return new MasterKeyDescription(s.name(), id, "", MasterKeyState.ENABLED, "generated on token "
                    + token.where() + ": AES-256, sensitive, non-extractable; every node uses this token's key");
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeystoreConfigurationException(describe + ": token " + token.where() + " could not generate and"
                    + " store key '" + label + "' (" + Pkcs11Errors.describe(e) + "); check that the user may create"
                    + " token objects", e);
        }
    }

    private static Pkcs11Token login(KeystoreSettings s, Pkcs11Settings settings, Function<String, String> env) {
        char[] pin = settings.pin(env).orElseThrow(() -> new Pkcs11PinIncorrectException(describe(s.name())
                + ": environment variable " + settings.pinEnv() + " (setting 'pin-env') is not set; set it to the"
                + " token's user PIN", null));
        try {
            return Pkcs11Token.open(s.name(), settings, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static Pkcs11MasterKey masterKey(String keystore, Pkcs11Token token, String label, String setting) {
        String describe = describe(keystore);
        SecretKey key;
        try {
            key = token.findKey(label);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeystoreUnavailableException(keystore, stateOf(e), describe + ": cannot look up key '" + label
                    + "' on token " + token.where() + " (" + Pkcs11Errors.describe(e) + "): " + stateOf(e).remedy(), e);
        }
        if (key == null) {
            throw new Pkcs11KeyNotFoundException(keystore, describe + ": token " + token.where() + " has no AES secret"
                    + " key labelled '" + label + "' (setting '" + setting + "'); fix the label, or create the key with"
                    + " `dataenc keystore create " + keystore + "`");
        }
        try {
            return new Pkcs11MasterKey(label, key, label + "/" + Pkcs11WrappedKey.fingerprint(token.provider(), key));
        } catch (GeneralSecurityException | ProviderException e) {
            MasterKeyState state = stateOf(e);
            throw new KeystoreUnavailableException(keystore, state, describe + ": key '" + label + "' on token "
                    + token.where() + " is " + state + " (" + Pkcs11Errors.describe(e) + "): " + hint(state)
                    + state.remedy(), e);
        }
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
        return GeneratedDataKey.wrapNew(cdkId, this::wrap);
    }

    @Override
    public Wrapping wrap(DataKey key) {
        checkOpen();
        byte[] plain = key.getEncoded();
        try {
            byte[] wrapped = Pkcs11WrappedKey.wrap(token.provider(), current.handle(), key.cdkId(), plain);
            return new Wrapping(name, current.id(), "", wrapped);
        } catch (GeneralSecurityException | ProviderException e) {
            throw unavailable(current, "wrap", e);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        checkOpen();
        if (!canUnwrap(wrapping)) {
            throw new IllegalArgumentException("wrapping of keystore '" + wrapping.keystoreName() + "' master key '"
                    + wrapping.masterKeyId() + "' given to pkcs11 keystore '" + name + "' (master keys " + byId.keySet()
                    + "); choose the keystore with canUnwrap, or list the key's label in 'former-key-labels'");
        }
        Pkcs11MasterKey k = byId.get(wrapping.masterKeyId());
        String what = "CDK " + cdkId + " (master key " + k.id() + ")";
        byte[] plain;
        try {
            plain = Pkcs11WrappedKey.unwrap(token.provider(), k.handle(), cdkId, wrapping.wrappedKey(), what);
        } catch (GeneralSecurityException | ProviderException e) {
            throw unavailable(k, "unwrap", e);
        }
        try {
            return DataKey.copyOf(cdkId, plain);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /** True when the wrapping is this keystore's and made by its master key or one of its former keys. */
    @Override
    public boolean canUnwrap(Wrapping wrapping) {
        return name.equals(wrapping.keystoreName()) && byId.containsKey(wrapping.masterKeyId());
    }

    @Override
    public MasterKeyDescription describe() {
        checkOpen();
        String label = current.label();
        try {
            SecretKey now = token.findKey(label);
            if (now == null) {
                return new MasterKeyDescription(name, current.id(), "", MasterKeyState.NOT_FOUND, "token " + token.where()
                        + " no longer has key '" + label + "': restore it from the HSM's backup, or "
                        + MasterKeyState.NOT_FOUND.remedy());
            }
            String id = label + "/" + Pkcs11WrappedKey.fingerprint(token.provider(), now);
            if (!id.equals(current.id())) {
                return new MasterKeyDescription(name, current.id(), "", MasterKeyState.NOT_FOUND, "label '" + label
                        + "' on token " + token.where() + " now names another key (" + id + "); restore the original"
                        + " key, or configure the new one and reopen");
            }
        } catch (GeneralSecurityException | ProviderException e) {
            MasterKeyState state = stateOf(e);
            return new MasterKeyDescription(name, current.id(), "", state, Pkcs11Errors.describe(e) + ": " + hint(state)
                    + state.remedy());
        }
        return new MasterKeyDescription(name, current.id(), "", MasterKeyState.ENABLED, "token " + token.where()
                + ", wraps with " + WrapMechanism.NAME + (byId.size() > 1 ? ", also unwraps former keys "
                + settings.formerKeyLabels() : ""));
    }

    private KeystoreUnavailableException unavailable(Pkcs11MasterKey k, String op, Exception e) {
        MasterKeyState state = stateOf(e);
        String message = describe(name) + ": cannot " + op + " with master key '" + k.id() + "' on token " + token.where()
                + ": " + state + " (" + Pkcs11Errors.describe(e) + "); " + hint(state) + state.remedy();
        return state == MasterKeyState.NOT_FOUND ? new Pkcs11KeyNotFoundException(name, message)
                : state == MasterKeyState.UNREACHABLE ? new Pkcs11TokenAbsentException(name, message, e)
                : new KeystoreUnavailableException(name, state, message, e);
    }

    /** The master key state a token failure means. */
    static MasterKeyState stateOf(Throwable e) {
        if (Pkcs11Errors.is(e, Pkcs11Errors.KEY_DISABLED)) {
            return MasterKeyState.DISABLED;
        }
        if (Pkcs11Errors.is(e, Pkcs11Errors.KEY_GONE)) {
            return MasterKeyState.NOT_FOUND;
        }
        if (Pkcs11Errors.is(e, Pkcs11Errors.TOKEN_GONE)) {
            return MasterKeyState.UNREACHABLE;
        }
        return MasterKeyState.UNAVAILABLE;
    }

    private static String hint(MasterKeyState state) {
        return switch (state) {
            case DISABLED -> DISABLED_HINT + "; ";
            case NOT_FOUND -> "the key was deleted from the token; restore it from the HSM's backup, or ";
            case UNREACHABLE -> "the token was removed; insert it, or ";
            case UNAVAILABLE -> "if the token was reset or logged out, restart the process; ";
            default -> "";
        };
    }

    private static String describe(String name) {
        return "pkcs11 keystore '" + name + "'";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("pkcs11 keystore '" + name + "' is closed");
        }
    }

    /** Marks the keystore closed. The token stays logged in for the JVM's other keystores on it. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "Pkcs11Keystore[name=" + name + ", token=" + token.where() + ", key=" + current.id() + "]";
    }
}
