package dev.dataenc.azure.testing;

import dev.dataenc.azure.AzureClients;
import dev.dataenc.azure.AzureClientsSource;
import java.net.URI;
import java.util.Optional;

/**
 * Gives keystores opened through {@link java.util.ServiceLoader} (the control plane, the CLI) the test clients
 * ({@link KeyVaultTestServer#clients()}) for a vault URL of a running {@link KeyVaultTestServer}, and nothing for any
 * other URL. Registered by the test-jar only.
 */
public final class TestServerClientsSource implements AzureClientsSource {

    @Override
    public Optional<AzureClients> clientsFor(URI vaultUrl) {
        return KeyVaultTestServer.isRunning(vaultUrl.toString()) ? Optional.of(KeyVaultTestServer.clients())
                : Optional.empty();
    }
}
