package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.MasterKeyState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 429 answers are retried after Retry-After; throttling that outlasts the retries is UNAVAILABLE. */
class AzureKeyVaultThrottlingTest {

    private final KeyVaultTestServer server = AzureKeyVaultFixture.server();

    @AfterEach
    void stopThrottling() {
        server.throttle(0, 1);
    }

    @Test
    void briefThrottling_isRetriedAfterRetryAfter() {
        String key = AzureKeyVaultFixture.newKey("throttled");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            int before = server.requests("throttled");
            server.throttle(2, 1);
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
            assertEquals(before + 2, server.requests("throttled"));
            // a lower bound the SDK must keep (Retry-After: 1), not a timing of the test
            assertTrue(server.shortestWaitAfterThrottleMillis() >= 990, server.shortestWaitAfterThrottleMillis() + " ms");
        }
    }

    @Test
    void lastingThrottling_isUnavailableAfterTheRetries() {
        String key = AzureKeyVaultFixture.newKey("throttled");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            int before = server.requests("throttled");
            server.throttle(1000, 0);
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                    () -> ks.generateDataKey(CdkId.random()));
            assertEquals(MasterKeyState.UNAVAILABLE, e.state());
            assertTrue(e.getMessage().contains("HTTP 429"), e.getMessage());
            assertTrue(e.getMessage().contains("throttled"), e.getMessage());
            assertEquals(before + 1 + AzureKeyVaultKeystore.MAX_RETRIES, server.requests("throttled"));
        }
    }
}
