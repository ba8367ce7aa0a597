package dev.dataenc.azure;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;
import java.net.URI;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Provider of the {@code azure-key-vault} keystore type ({@link AzureKeyVaultKeystore}; its Javadoc lists the
 * settings). Keys are created in Azure (portal, {@code az keyvault key create}), not by dataenc.
 */
public final class AzureKeyVaultKeystoreProvider implements KeystoreProvider {

    private final AzureClients clients;

    /** The provider {@link java.util.ServiceLoader} makes: the SDK's {@code DefaultAzureCredential}. */
    public AzureKeyVaultKeystoreProvider() {
        this(null);
    }

    /** A provider whose keystores use the given credential and HTTP client (tests, hosts with their own identity). */
    public AzureKeyVaultKeystoreProvider(AzureClients clients) {
        this.clients = clients;
    }

    @Override
    public String type() {
        return AzureKeyVaultKeystore.TYPE;
    }

    /**
     * Opens the keystore with the clients given to the constructor, else the first {@link AzureClientsSource} that
     * answers for the vault, else {@link AzureClients#defaults()}.
     */
    @Override
    public Keystore create(KeystoreSettings settings) {
        AzureKeyVaultSettings parsed = AzureKeyVaultSettings.parse(settings);
        return AzureKeyVaultKeystore.open(settings, clients != null ? clients : clientsFor(parsed.vaultUrl()));
    }

    private static AzureClients clientsFor(URI vaultUrl) {
        for (AzureClientsSource source : ServiceLoader.load(AzureClientsSource.class)) {
            Optional<AzureClients> c = source.clientsFor(vaultUrl);
            if (c.isPresent()) {
                return c.get();
            }
        }
        return AzureClients.defaults();
    }

    @Override
    public Set<String> settingNames() {
        return AzureKeyVaultSettings.NAMES;
    }
}
