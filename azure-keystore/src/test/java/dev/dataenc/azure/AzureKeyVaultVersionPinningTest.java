package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each wrapping unwraps with exactly the key version that made it; new wraps use the version resolved at open. */
class AzureKeyVaultVersionPinningTest {

    private final KeyVaultTestServer server = AzureKeyVaultFixture.server();

    @Test
    void afterKeyRotation_oldWrapsUnwrapWithOldVersion_newWrapsUseNewVersion() {
        String key = AzureKeyVaultFixture.newKey("rotated");
        CdkId oldId = CdkId.random();
        Wrapping old;
        String v1;
        try (AzureKeyVaultKeystore before = AzureKeyVaultFixture.open("ks", key)) {
            old = AzureKeyVaultKeyStateTest.wrapOne(before, oldId);
            v1 = old.masterKeyVersion();
            String v2 = server.rotate(key);
            assertEquals(v1, AzureKeyVaultKeyStateTest.wrapOne(before, CdkId.random()).masterKeyVersion(),
                    "an open keystore keeps the version it resolved");
            assertTrue(before.describe().detail().contains("newer version " + v2), before.describe().detail());
        }
        try (AzureKeyVaultKeystore after = AzureKeyVaultFixture.open("ks", key)) {
            CdkId newId = CdkId.random();
            Wrapping fresh = AzureKeyVaultKeyStateTest.wrapOne(after, newId);
            assertFalse(fresh.masterKeyVersion().equals(v1));
            assertEquals(after.describe().masterKeyVersion(), fresh.masterKeyVersion());
            assertEquals(old.masterKeyId(), fresh.masterKeyId(), "one master key id across versions");

            // only version 1 off: the old wrapping needs exactly it, the new one does not
            server.setEnabled(key, v1, false);
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                    () -> after.unwrap(oldId, old));
            assertEquals(MasterKeyState.DISABLED, e.state());
            assertTrue(e.getMessage().contains(server.keyId(key, v1)), e.getMessage());
            try (DataKey back = after.unwrap(newId, fresh)) {
                assertEquals(newId, back.cdkId());
            }
            server.setEnabled(key, v1, true);
            try (DataKey back = after.unwrap(oldId, old)) {
                assertEquals(oldId, back.cdkId());
            }
        }
    }

    @Test
    void keyVersionSetting_pinsNewWrapsToThatVersion() {
        String key = AzureKeyVaultFixture.newKey("pinned");
        String v1 = server.createRsaKey(key);
        server.rotate(key);
        try (AzureKeyVaultKeystore ks = AzureKeyVaultKeystore.open(AzureKeyVaultFixture.settings("ks", key,
                Map.of("key-version", v1)), KeyVaultTestServer.clients())) {
            assertEquals(v1, AzureKeyVaultKeyStateTest.wrapOne(ks, CdkId.random()).masterKeyVersion());
            assertEquals(v1, ks.describe().masterKeyVersion());
        }
    }

    @Test
    void wrappedBytesNamingAnotherVersion_areRejectedWithoutCallingTheVault() {
        String key = AzureKeyVaultFixture.newKey("relabel");
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            CdkId id = CdkId.random();
            Wrapping w = AzureKeyVaultKeyStateTest.wrapOne(ks, id);
            String v2 = server.rotate(key);
            // the record says version 2, the bytes say version 1: refused before any unwrapKey call
            Wrapping relabelled = new Wrapping(w.keystoreName(), w.masterKeyId(), v2, w.wrappedKey());
            int unwraps = server.requests("unwrapKey");
            assertThrows(WrappedKeyException.class, () -> ks.unwrap(id, relabelled));
            assertEquals(unwraps, server.requests("unwrapKey"));
            String kid = new String(w.wrappedKey(), 4, server.keyId(key, w.masterKeyVersion()).length(),
                    StandardCharsets.UTF_8);
            assertEquals(server.keyId(key, w.masterKeyVersion()), kid, "the bytes name the full versioned key id");
        }
    }

    @Test
    void formerKeyNames_unwrapWrapsOfAnEarlierKey() {
        String oldKey = AzureKeyVaultFixture.newKey("old");
        String newKey = AzureKeyVaultFixture.newKey("new");
        CdkId id = CdkId.random();
        Wrapping old;
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", oldKey)) {
            old = AzureKeyVaultKeyStateTest.wrapOne(ks, id);
        }
        try (AzureKeyVaultKeystore without = AzureKeyVaultFixture.open("ks", newKey)) {
            assertFalse(without.canUnwrap(old));
        }
        try (AzureKeyVaultKeystore with = AzureKeyVaultKeystore.open(AzureKeyVaultFixture.settings("ks", newKey,
                Map.of("former-key-names", oldKey)), KeyVaultTestServer.clients())) {
            assertTrue(with.canUnwrap(old));
            try (DataKey back = with.unwrap(id, old)) {
                assertEquals(id, back.cdkId());
            }
            assertTrue(AzureKeyVaultKeyStateTest.wrapOne(with, CdkId.random()).masterKeyId().endsWith("/keys/" + newKey));
        }
    }
}
