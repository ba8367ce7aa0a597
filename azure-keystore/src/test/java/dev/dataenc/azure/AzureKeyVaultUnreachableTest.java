package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A vault that stops answering (no HTTP answer at all) is UNREACHABLE, with the connectivity remedy (short backoff). */
class AzureKeyVaultUnreachableTest {

    @Test
    void vaultGone_isUnreachableAfterRetries() {
        KeyVaultTestServer server = KeyVaultTestServer.start();
        server.createRsaKey("gone");
        KeystoreSettings s = KeystoreSettings.of("ks", AzureKeyVaultKeystore.TYPE,
                Map.of("vault-url", server.vaultUrl(), "key-name", "gone"));
        try (AzureKeyVaultKeystore ks = AzureKeyVaultKeystore.open(s, KeyVaultTestServer.clients(),
                Clock.systemUTC(), Duration.ofMillis(10))) {
            CdkId id = CdkId.random();
            Wrapping w = AzureKeyVaultKeyStateTest.wrapOne(ks, id);
            server.close();

            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, w));
            assertEquals(MasterKeyState.UNREACHABLE, e.state());
            assertTrue(e.getMessage().contains("could not be reached; check the vault-url"), e.getMessage());
            assertEquals(MasterKeyState.UNREACHABLE, ks.describe().state());
        }
    }
}
