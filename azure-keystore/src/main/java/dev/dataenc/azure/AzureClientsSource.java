package dev.dataenc.azure;

import java.net.URI;
import java.util.Optional;

/**
 * Optional service ({@link java.util.ServiceLoader}, {@code META-INF/services/dev.dataenc.azure.AzureClientsSource})
 * that gives the keystores {@link java.util.ServiceLoader} opens their credential and HTTP client, for a host with
 * its own identity or for tests (the test-jar's source serves the Key Vault test double on loopback only). When no
 * source answers for a vault, the keystore uses {@link AzureClients#defaults()}.
 */
public interface AzureClientsSource {

    /** The clients for this vault URL, or empty to leave it to the next source or the default chain. */
    Optional<AzureClients> clientsFor(URI vaultUrl);
}
