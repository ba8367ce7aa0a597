package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Each Azure key state, as the vault reports it, mapped to a {@link MasterKeyState} with the Azure remedy. */
class AzureKeyVaultKeyStateTest {

    private final KeyVaultTestServer server = AzureKeyVaultFixture.server();

    @Test
    void expiredKey_refusesNewWrapsWithExpiryRemedy_stillUnwraps() {
        String key = AzureKeyVaultFixture.newKey("expired");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            CdkId id = CdkId.random();
            Wrapping before = wrapOne(ks, id);
            server.setExpiresOn(key, OffsetDateTime.now().minusDays(1));

            MasterKeyDescription d = ks.describe();
            assertEquals(MasterKeyState.DISABLED, d.state());
            assertTrue(d.detail().contains("--expires"), d.detail());
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                    () -> ks.generateDataKey(CdkId.random()));
            assertEquals(MasterKeyState.DISABLED, e.state());
            assertTrue(e.getMessage().contains("expiry date has passed"), e.getMessage());
            try (DataKey back = ks.unwrap(id, before)) {
                assertEquals(id, back.cdkId());
            }
        }
    }

    @Test
    void notYetValidKey_refusesNewWrapsWithNotBeforeRemedy() {
        String key = AzureKeyVaultFixture.newKey("early");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            server.setNotBefore(key, OffsetDateTime.now().plusDays(1));

            assertEquals(MasterKeyState.DISABLED, ks.describe().state());
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                    () -> ks.generateDataKey(CdkId.random()));
            assertTrue(e.getMessage().contains("--not-before"), e.getMessage());
        }
    }

    @Test
    void disabledKey_namesTheAzureCommandToEnableIt() {
        String key = AzureKeyVaultFixture.newKey("off");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            CdkId id = CdkId.random();
            Wrapping w = wrapOne(ks, id);
            server.setEnabled(key, false);

            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, w));
            assertEquals(MasterKeyState.DISABLED, e.state());
            assertTrue(e.getMessage().contains("az keyvault key set-attributes --vault-name 127.0.0.1 --name " + key
                    + " --enabled true"), e.getMessage());
        }
    }

    @Test
    void softDeletedKey_isPendingDeletionWithRecoverRemedy_andUnwrapsAfterRecovery() {
        String key = AzureKeyVaultFixture.newKey("deleted");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            CdkId id = CdkId.random();
            Wrapping w = wrapOne(ks, id);
            server.delete(key);

            MasterKeyDescription d = ks.describe();
            assertEquals(MasterKeyState.PENDING_DELETION, d.state());
            assertTrue(d.detail().contains("az keyvault key recover"), d.detail());
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, w));
            assertEquals(MasterKeyState.PENDING_DELETION, e.state());
            assertTrue(e.getMessage().contains(MasterKeyState.PENDING_DELETION.remedy()), e.getMessage());

            server.recover(key);
            try (DataKey back = ks.unwrap(id, w)) {
                assertEquals(id, back.cdkId());
            }
        }
    }

    @Test
    void purgedKey_isNotFound_andCannotBeOpened() {
        String key = AzureKeyVaultFixture.newKey("purged");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            CdkId id = CdkId.random();
            Wrapping w = wrapOne(ks, id);
            server.delete(key);
            server.purge(key);

            assertEquals(MasterKeyState.NOT_FOUND, ks.describe().state());
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, w));
            assertEquals(MasterKeyState.NOT_FOUND, e.state());
            assertTrue(e.getMessage().contains("purged"), e.getMessage());
        }
        KeystoreUnavailableException open = assertThrows(KeystoreUnavailableException.class,
                () -> AzureKeyVaultFixture.open("ks", key));
        assertEquals(MasterKeyState.NOT_FOUND, open.state());
    }

    @Test
    void forbiddenIdentity_isUnreachableWithRoleRemedy() {
        String key = AzureKeyVaultFixture.newKey("forbidden");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            CdkId id = CdkId.random();
            Wrapping w = wrapOne(ks, id);
            server.forbid(key, true);
            try {
                KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                        () -> ks.unwrap(id, w));
                assertEquals(MasterKeyState.UNREACHABLE, e.state());
                assertTrue(e.getMessage().contains("Key Vault Crypto User"), e.getMessage());
                assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
                assertEquals(MasterKeyState.UNREACHABLE, ks.describe().state());
                KeystoreUnavailableException open = assertThrows(KeystoreUnavailableException.class,
                        () -> AzureKeyVaultFixture.open("ks2", key));
                assertTrue(open.getMessage().contains("wrapKey and unwrapKey"), open.getMessage());
            } finally {
                server.forbid(key, false);
            }
            try (DataKey back = ks.unwrap(id, w)) {
                assertEquals(id, back.cdkId());
            }
        }
    }

    @Test
    void unknownKeyName_failsToOpenAsNotFound() {
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                () -> AzureKeyVaultFixture.open("ks", "never-created-key"));
        assertEquals(MasterKeyState.NOT_FOUND, e.state());
        assertTrue(e.getMessage().contains("key-name"), e.getMessage());
    }

    static Wrapping wrapOne(AzureKeyVaultKeystore ks, CdkId id) {
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            return g.wrapping();
        }
    }
}
