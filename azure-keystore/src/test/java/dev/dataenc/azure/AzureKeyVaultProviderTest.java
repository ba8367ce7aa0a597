package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider {@link java.util.ServiceLoader} makes finds its clients through {@link AzureClientsSource}. */
class AzureKeyVaultProviderTest {

    @Test
    void serviceLoadedProvider_usesTheClientsSourceForTheTestVault() {
        String key = AzureKeyVaultFixture.newKey("spi");
        try (Keystore ks = Keystores.provider(AzureKeyVaultKeystore.TYPE)
                .create(AzureKeyVaultFixture.settings("ks", key, Map.of()))) {
            assertEquals(MasterKeyState.ENABLED, ks.describe().state());
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertEquals(id, back.cdkId());
            }
        }
        // the SDK met the bearer challenge (401 WWW-Authenticate) before sending the token; it caches the challenge
        // per vault host for the process, so only the first client of the JVM is challenged
        assertTrue(AzureKeyVaultFixture.server().requests("challenge") >= 1);
    }
}
