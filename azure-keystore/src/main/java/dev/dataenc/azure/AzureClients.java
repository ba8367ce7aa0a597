package dev.dataenc.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.Objects;

/**
 * What an {@code azure-key-vault} keystore talks to Azure with: a token credential and an HTTP client. Production uses
 * {@link #defaults()}; tests give their own (a fixed token, a client trusting a self-signed loopback certificate).
 *
 * @param credential the token source
 * @param httpClient the HTTP client the Key Vault and identity calls go through
 */
public record AzureClients(TokenCredential credential, HttpClient httpClient) {

    public AzureClients {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(httpClient, "httpClient");
    }

    /**
     * The SDK's {@code DefaultAzureCredential} chain (environment {@code AZURE_CLIENT_ID}/{@code AZURE_TENANT_ID}/
     * {@code AZURE_CLIENT_SECRET}, workload identity, managed identity, Azure CLI, ...) over the JDK HTTP client.
     * Builds no connection: the chain is tried on the first call.
     */
    public static AzureClients defaults() {
        HttpClient http = JdkAzureHttpClient.create();
        return new AzureClients(new DefaultAzureCredentialBuilder().httpClient(http).build(), http);
    }

    @Override
    public String toString() {
        return "AzureClients[" + credential.getClass().getSimpleName() + "]";
    }
}
