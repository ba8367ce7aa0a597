package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.CredentialUnavailableException;
import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.MasterKeyState;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A credential chain that finds nothing (as DefaultAzureCredential without identity or variables) is reported so. The
 * SDK retries the failed token request like any failed call, so the backoff is short here.
 */
class AzureKeyVaultCredentialTest {

    @Test
    void noCredential_isUnreachableNamingTheAzureVariables() {
        String key = AzureKeyVaultFixture.newKey("nocred");
        TokenCredential none = ctx -> Mono.error(new CredentialUnavailableException(
                "EnvironmentCredential authentication unavailable. Environment variables are not fully configured."));
        AzureClients clients = new AzureClients(none, KeyVaultTestServer.clients().httpClient());

        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> AzureKeyVaultKeystore
                .open(AzureKeyVaultFixture.settings("ks", key, Map.of()), clients, Clock.systemUTC(), Duration.ofMillis(10)));

        assertEquals(MasterKeyState.UNREACHABLE, e.state());
        assertTrue(e.getMessage().contains("AZURE_CLIENT_SECRET"), e.getMessage());
    }
}
