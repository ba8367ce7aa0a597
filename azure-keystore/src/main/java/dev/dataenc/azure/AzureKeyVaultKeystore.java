package dev.dataenc.azure;

import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
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
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code azure-key-vault} keystore: the master key is a key in Azure Key Vault (RSA, RSA-HSM) or Managed HSM
 * (RSA-HSM, oct-HSM). It never leaves the vault: CDKs are wrapped and unwrapped there ({@code wrapKey}/
 * {@code unwrapKey}, RSA-OAEP-256 for RSA keys, A256KW for oct-HSM keys), the CDK id bound inside the wrapped bytes and
 * the key version named in them ({@link AzureWrappedKey}).
 *
 * <h2>Settings</h2>
 * <ul>
 *   <li>{@code vault-url} (required): {@code https://<vault>.vault.azure.net} (or a Managed HSM URL).</li>
 *   <li>{@code key-name} (required): the key's name.</li>
 *   <li>{@code key-version}: the version new wrappings use; default the key's current version, resolved when the
 *       keystore opens (a version added later is used after the next open).</li>
 *   <li>{@code former-key-names}: earlier keys in the same vault whose wrappings this keystore still unwraps.</li>
 * </ul>
 * Credentials come from {@code DefaultAzureCredential}; the identity needs keys get, wrapKey and unwrapKey (the role
 * "Key Vault Crypto User"). Every call goes to the vault (the SDK's local-cryptography shortcut is off, so a disabled
 * key refuses to wrap), with up to {@value #MAX_RETRIES} retries of 429 and 5xx answers, each after Retry-After.
 *
 * <p>The master key id is the versionless key id ({@code https://<vault>/keys/<name>}), its version the key version;
 * every version of that key unwraps what it wrapped. Thread-safe.
 */
public final class AzureKeyVaultKeystore implements Keystore {

    /** The type name in configuration. */
    public static final String TYPE = "azure-key-vault";

    static final int MAX_RETRIES = 4;

    private final String name;
    private final AzureKeyVaultSettings settings;
    private final AzureClients clients;
    private final RetryOptions retry;
    private final KeyClient keys;
    private final KeyInspector inspector;
    private final String masterKeyId;
    private final String version;
    private final AzureWrappedKey.Alg alg;
    private final Set<String> acceptedIds;
    private final Map<String, CryptographyClient> crypto = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private AzureKeyVaultKeystore(String name, AzureKeyVaultSettings settings, AzureClients clients, RetryOptions retry,
                                  KeyClient keys, KeyInspector inspector, String masterKeyId, String version, AzureWrappedKey.Alg alg,
                                  Set<String> acceptedIds) {
        this.name = name;
        this.settings = settings;
        this.clients = clients;
        this.retry = retry;
        this.keys = keys;
        this.inspector = inspector;
        this.masterKeyId = masterKeyId;
        this.version = version;
        this.alg = alg;
        this.acceptedIds = acceptedIds;
    }

    /** Opens the keystore with the SDK's default credential chain: see {@link #open(KeystoreSettings, AzureClients)}. */
    public static AzureKeyVaultKeystore open(KeystoreSettings settings) {
        return open(settings, AzureClients.defaults());
    }

    /**
     * Opens the keystore: reads the key (its current version, or {@code key-version}) and records the version new
     * wrappings use. The key may be disabled or expired: {@link #describe()} then says so and wraps fail.
     *
     * @throws KeystoreConfigurationException for bad settings or a key type that cannot wrap
     * @throws KeystoreUnavailableException when the key cannot be read (not found, deleted, forbidden, unreachable),
     *         with the state and the Azure remedy
     */
    public static AzureKeyVaultKeystore open(KeystoreSettings s, AzureClients clients) {
        return open(s, clients, Clock.systemUTC());
    }

    static AzureKeyVaultKeystore open(KeystoreSettings s, AzureClients clients, Clock clock) {
        return open(s, clients, clock, Duration.ofMillis(500));
    }

    /** As {@link #open(KeystoreSettings, AzureClients)} with the retries' first backoff (tests: a short one). */
    static AzureKeyVaultKeystore open(KeystoreSettings s, AzureClients clients, Clock clock, Duration baseDelay) {
        AzureKeyVaultSettings settings = AzureKeyVaultSettings.parse(s);
        RetryOptions retry = retryOptions(baseDelay);
        KeyClientBuilder b = new KeyClientBuilder().vaultUrl(settings.vaultUrl().toString())
                .credential(clients.credential()).httpClient(clients.httpClient()).retryOptions(retry);
        if (settings.loopback()) {
            b.disableChallengeResourceVerification();
        }
        KeyClient keys = b.buildClient();
        KeyInspector inspector = new KeyInspector(keys, clock);
        String keyName = settings.keyName();
        KeyVaultKey key;
        try {
            key = keys.getKey(keyName, settings.keyVersion().orElse(""));
        } catch (RuntimeException e) {
            KeyInspector.Finding f = inspector.inspect(keyName, settings.keyVersion().orElse(""));
            KeyCondition c = f.condition() == KeyCondition.ENABLED ? AzureErrors.byStatus(e) : f.condition();
            throw new KeystoreUnavailableException(s.name(), c.state(), describe(s.name()) + ": cannot read key '"
                    + keyName + "'" + settings.keyVersion().map(v -> " version " + v).orElse("") + " in "
                    + settings.vaultUrl() + ": " + c.state() + " (" + f.detail() + "); " + c.hint(vaultName(settings),
                    keyName) + "; " + c.state().remedy(), e);
        }
        AzureWrappedKey.Alg alg = algorithm(s, key);
        String kid = key.getId();
        int cut = kid.lastIndexOf('/');
        String masterKeyId = kid.substring(0, cut);
        String base = masterKeyId.substring(0, masterKeyId.lastIndexOf("/keys/") + "/keys/".length());
        Set<String> accepted = new LinkedHashSet<>();
        accepted.add(masterKeyId);
        for (String former : settings.formerKeyNames()) {
            accepted.add(base + former);
        }
        return new AzureKeyVaultKeystore(s.name(), settings, clients, retry, keys, inspector, masterKeyId,
                kid.substring(cut + 1), alg, Set.copyOf(accepted));
    }

    private static AzureWrappedKey.Alg algorithm(KeystoreSettings s, KeyVaultKey key) {
        KeyType t = key.getKeyType();
        List<KeyOperation> ops = key.getKeyOperations();
        if (ops != null && !ops.isEmpty() && !(ops.contains(KeyOperation.WRAP_KEY) && ops.contains(KeyOperation.UNWRAP_KEY))) {
            throw new KeystoreConfigurationException(describe(s.name()) + ": key '" + key.getName() + "' does not"
                    + " permit wrapKey and unwrapKey (its operations are " + ops + "); add them: az keyvault key"
                    + " set-attributes --ops wrapKey unwrapKey ..., or configure another key");
        }
        if (KeyType.RSA.equals(t) || KeyType.RSA_HSM.equals(t)) {
            return AzureWrappedKey.Alg.RSA_OAEP_256;
        }
        if (KeyType.OCT_HSM.equals(t) || KeyType.OCT.equals(t)) {
            return AzureWrappedKey.Alg.A256KW;
        }
        throw new KeystoreConfigurationException(describe(s.name()) + ": key '" + key.getName() + "' is of type " + t
                + ", which cannot wrap keys; use an RSA or RSA-HSM key (or an oct-HSM key on a Managed HSM)");
    }

    private static RetryOptions retryOptions(Duration baseDelay) {
        return new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(MAX_RETRIES)
                .setBaseDelay(baseDelay).setMaxDelay(Duration.ofSeconds(30)));
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
        String kid = masterKeyId + "/" + version;
        byte[] cdk = key.getEncoded();
        byte[] plain = AzureWrappedKey.plaintext(key.cdkId(), cdk);
        try {
            byte[] wrapped = client(kid).wrapKey(KeyWrapAlgorithm.fromString(alg.jwa), plain).getEncryptedKey();
            return new Wrapping(name, masterKeyId, version, AzureWrappedKey.encode(alg, kid, wrapped));
        } catch (RuntimeException e) {
            throw unavailable(kid, "wrap", e);
        } finally {
            DataKey.zeroize(cdk);
            DataKey.zeroize(plain);
        }
    }

    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        checkOpen();
        if (!canUnwrap(wrapping)) {
            throw new IllegalArgumentException("wrapping of keystore '" + wrapping.keystoreName() + "' master key '"
                    + wrapping.masterKeyId() + "' given to azure-key-vault keystore '" + name + "' (keys "
                    + acceptedIds + "); choose the keystore with canUnwrap, or list the key in 'former-key-names'");
        }
        String kid = wrapping.masterKeyId() + "/" + wrapping.masterKeyVersion();
        String what = "CDK " + cdkId + " (key " + kid + ")";
        AzureWrappedKey.Parsed p = AzureWrappedKey.decode(wrapping.wrappedKey(), what);
        if (!p.kid().equals(kid)) {
            throw AzureWrappedKey.notAuthentic(what);
        }
        byte[] plain;
        try {
            plain = client(kid).unwrapKey(KeyWrapAlgorithm.fromString(p.alg().jwa), p.wrapped()).getKey();
        } catch (RuntimeException e) {
            if (AzureErrors.status(e) == 400) {
                throw AzureWrappedKey.notAuthentic(what);
            }
            throw unavailable(kid, "unwrap", e);
        }
        byte[] cdk = AzureWrappedKey.key(cdkId, plain, what);
        try {
            return DataKey.copyOf(cdkId, cdk);
        } finally {
            DataKey.zeroize(cdk);
        }
    }

    /** True when the wrapping is this keystore's and made by a version of its key or of a former key. */
    @Override
    public boolean canUnwrap(Wrapping wrapping) {
        return name.equals(wrapping.keystoreName()) && acceptedIds.contains(wrapping.masterKeyId())
                && !wrapping.masterKeyVersion().isEmpty();
    }

    @Override
    public MasterKeyDescription describe() {
        checkOpen();
        KeyInspector.Finding f = inspector.inspect(settings.keyName(), version);
        KeyCondition c = f.condition();
        if (c != KeyCondition.ENABLED) {
            return new MasterKeyDescription(name, masterKeyId, version, c.state(), f.detail() + ": "
                    + c.hint(vaultName(settings), settings.keyName()) + "; " + c.state().remedy());
        }
        String detail = "wraps with " + alg.jwa + " in " + settings.vaultUrl();
        if (settings.keyVersion().isEmpty()) {
            try {
                String latest = keys.getKey(settings.keyName()).getProperties().getVersion();
                if (latest != null && !latest.equals(version)) {
                    detail += "; a newer version " + latest + " exists: new wraps use it after the keystore is reopened";
                }
            } catch (RuntimeException e) {
                detail += "; could not read the key's current version (" + AzureErrors.describe(e) + ")";
            }
        } else {
            detail += ", version pinned by 'key-version'";
        }
        return new MasterKeyDescription(name, masterKeyId, version, MasterKeyState.ENABLED, detail);
    }

    /** The cryptography client of one key version; the SDK's local cryptography is off (every call goes to the vault). */
    private CryptographyClient client(String kid) {
        return crypto.computeIfAbsent(kid, k -> {
            CryptographyClientBuilder b = new CryptographyClientBuilder().keyIdentifier(k)
                    .credential(clients.credential()).httpClient(clients.httpClient()).retryOptions(retry)
                    .disableKeyCaching();
            if (settings.loopback()) {
                b.disableChallengeResourceVerification();
            }
            return b.buildClient();
        });
    }

    private KeystoreUnavailableException unavailable(String kid, String op, RuntimeException e) {
        KeyCondition c = AzureErrors.byStatus(e);
        String detail = AzureErrors.describe(e);
        String keyName = kid.substring(kid.lastIndexOf("/keys/") + "/keys/".length(), kid.lastIndexOf('/'));
        if (c == KeyCondition.FORBIDDEN || c == KeyCondition.NOT_FOUND) {
            KeyInspector.Finding f = inspector.inspect(keyName, kid.substring(kid.lastIndexOf('/') + 1));
            if (f.condition() != KeyCondition.ENABLED && f.condition() != KeyCondition.FORBIDDEN) {
                c = f.condition();
                detail = detail + "; " + f.detail();
            }
        }
        return new KeystoreUnavailableException(name, c.state(), describe(name) + ": cannot " + op + " with key " + kid
                + ": " + c.state() + " (" + detail + "); " + c.hint(vaultName(settings), keyName) + "; "
                + c.state().remedy(), e);
    }

    private static String vaultName(AzureKeyVaultSettings s) {
        String host = s.vaultUrl().getHost();
        int dot = host.indexOf('.');
        return dot > 0 && !Character.isDigit(host.charAt(0)) ? host.substring(0, dot) : host;
    }

    private static String describe(String name) {
        return "azure-key-vault keystore '" + name + "'";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(describe(name) + " is closed");
        }
    }

    /** Marks the keystore closed; the SDK clients hold no resources of their own. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "AzureKeyVaultKeystore[name=" + name + ", key=" + masterKeyId + ", version=" + version + "]";
    }
}
