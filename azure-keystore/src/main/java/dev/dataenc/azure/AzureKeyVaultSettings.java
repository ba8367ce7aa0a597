package dev.dataenc.azure;

import dev.dataenc.keystore.LoopbackHost;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parsed settings of an {@code azure-key-vault} keystore. Credentials are never settings: they come from the
 * Azure SDK's {@code DefaultAzureCredential} chain (environment variables, workload or managed identity, ...).
 *
 * @param vaultUrl       the vault (or Managed HSM) URL, {@code https://<name>.vault.azure.net}; https only, a loopback
 *                       host is accepted for tests (then the SDK's challenge-resource check is off)
 * @param keyName        name of the key in the vault
 * @param keyVersion     version new wrappings use; empty = the key's current version, resolved when the keystore opens
 * @param formerKeyNames names of earlier keys in the same vault whose wrappings this keystore still unwraps (every
 *                       version of the configured key always unwraps: each wrapping names its version)
 */
public record AzureKeyVaultSettings(URI vaultUrl, String keyName, Optional<String> keyVersion,
                                    List<String> formerKeyNames) {

    static final String VAULT_URL = "vault-url";
    static final String KEY_NAME = "key-name";
    static final String KEY_VERSION = "key-version";
    static final String FORMER_KEY_NAMES = "former-key-names";

    /** Every setting name this type understands. */
    static final Set<String> NAMES = Set.of(VAULT_URL, KEY_NAME, KEY_VERSION, FORMER_KEY_NAMES);

    /** Key Vault object names: 1-127 characters, letters, digits and '-'. */
    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    /** Key versions are 32 hex digits in Azure; accept any short alphanumeric id. */
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z]{1,64}");

    public AzureKeyVaultSettings {
        formerKeyNames = List.copyOf(formerKeyNames);
    }

    /**
     * Parses and checks the settings (not the vault: see {@link AzureKeyVaultKeystore}).
     *
     * @throws KeystoreConfigurationException naming the setting that is missing or wrong
     */
    public static AzureKeyVaultSettings parse(KeystoreSettings s) {
        URI url = vaultUrl(s, s.require(VAULT_URL));
        String keyName = name(s, KEY_NAME, s.require(KEY_NAME));
        Optional<String> version = s.get(KEY_VERSION);
        if (version.isPresent() && !VERSION.matcher(version.get()).matches()) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + KEY_VERSION + "' must be a key"
                    + " version (the last part of the key id, 32 hex digits in Azure), got '" + version.get() + "'");
        }
        Set<String> former = new LinkedHashSet<>();
        for (String f : s.get(FORMER_KEY_NAMES, "").split(",")) {
            if (!f.isBlank()) {
                former.add(name(s, FORMER_KEY_NAMES, f.trim()));
            }
        }
        if (former.contains(keyName)) {
            throw new KeystoreConfigurationException(s.describe() + ": '" + FORMER_KEY_NAMES + "' lists the current '"
                    + KEY_NAME + "' " + keyName + "; list only earlier keys (every version of '" + keyName
                    + "' unwraps anyway)");
        }
        return new AzureKeyVaultSettings(url, keyName, version, List.copyOf(former));
    }

    /** True when the vault is on this machine (a test double): the SDK's challenge-resource check is turned off. */
    boolean loopback() {
        return LoopbackHost.is(vaultUrl.getHost());
    }

    private static URI vaultUrl(KeystoreSettings s, String value) {
        URI u;
        try {
            u = new URI(value);
        } catch (URISyntaxException e) {
            throw badUrl(s, value, "not a URL");
        }
        if (!"https".equalsIgnoreCase(u.getScheme())) {
            throw badUrl(s, value, "Key Vault is reached over https only");
        }
        if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))) {
            throw badUrl(s, value, "give only scheme and host (and a port for a test vault), no path or query");
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (u.getPort() != -1 && u.getPort() != 443 && !LoopbackHost.is(host)) {
            throw badUrl(s, value, "Azure vaults listen on port 443; another port is accepted only on a loopback host");
        }
        return URI.create("https://" + host + (u.getPort() == -1 || u.getPort() == 443 ? "" : ":" + u.getPort()));
    }

    private static KeystoreConfigurationException badUrl(KeystoreSettings s, String value, String why) {
        return new KeystoreConfigurationException(s.describe() + ": setting '" + VAULT_URL + "' = '" + value + "': "
                + why + "; use the vault's 'Vault URI', e.g. https://my-vault.vault.azure.net");
    }

    private static String name(KeystoreSettings s, String setting, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + setting + "' must be a key name"
                    + " (1-127 letters, digits and '-'), not a key id or URL, got '" + value + "'");
        }
        return value;
    }

}
