package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureKeyVaultSettingsTest {

    @Test
    void azureVaultUrl_isNormalised() {
        AzureKeyVaultSettings s = parse(Map.of("vault-url", "https://My-Vault.vault.azure.net:443/",
                "key-name", "dataenc-master", "former-key-names", "old-1, old-2"));
        assertEquals("https://my-vault.vault.azure.net", s.vaultUrl().toString());
        assertEquals(Optional.empty(), s.keyVersion());
        assertEquals(List.of("old-1", "old-2"), s.formerKeyNames());
        assertFalse(s.loopback());
    }

    @Test
    void loopbackVault_withPort_isAcceptedForTests() {
        AzureKeyVaultSettings s = parse(Map.of("vault-url", "https://127.0.0.1:8443", "key-name", "k"));
        assertTrue(s.loopback());
        assertEquals("https://127.0.0.1:8443", s.vaultUrl().toString());
    }

    @Test
    void badSettings_areRefusedNamingTheSetting() {
        assertRefused(Map.of("vault-url", "http://my-vault.vault.azure.net", "key-name", "k"), "https only");
        assertRefused(Map.of("vault-url", "https://my-vault.vault.azure.net/keys/k", "key-name", "k"), "no path");
        assertRefused(Map.of("vault-url", "https://my-vault.vault.azure.net:8443", "key-name", "k"), "port 443");
        assertRefused(Map.of("vault-url", "https://v.vault.azure.net", "key-name", "https://v.vault.azure.net/keys/k"),
                "'key-name'");
        assertRefused(Map.of("vault-url", "https://v.vault.azure.net", "key-name", "k", "key-version", "a/b"),
                "'key-version'");
        assertRefused(Map.of("vault-url", "https://v.vault.azure.net", "key-name", "k", "former-key-names", "k"),
                "only earlier keys");
        assertRefused(Map.of("key-name", "k"), "'vault-url'");
    }

    @Test
    void provider_declaresItsSettings() {
        assertEquals(AzureKeyVaultSettings.NAMES, new AzureKeyVaultKeystoreProvider().settingNames());
        assertEquals("azure-key-vault", new AzureKeyVaultKeystoreProvider().type());
    }

    private static void assertRefused(Map<String, String> values, String expected) {
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> parse(values));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static AzureKeyVaultSettings parse(Map<String, String> values) {
        return AzureKeyVaultSettings.parse(KeystoreSettings.of("ks", "azure-key-vault", new HashMap<>(values)));
    }
}
