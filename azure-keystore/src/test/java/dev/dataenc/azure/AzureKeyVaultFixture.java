package dev.dataenc.azure;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.keystore.KeystoreSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One Key Vault test double per test JVM, and settings for keystores on it. */
final class AzureKeyVaultFixture {

    private static KeyVaultTestServer server;

    private AzureKeyVaultFixture() {
    }

    static synchronized KeyVaultTestServer server() {
        if (server == null) {
            server = KeyVaultTestServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** A new key name on the server, with one version. */
    static String newKey(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        server().createRsaKey(name);
        return name;
    }

    static KeystoreSettings settings(String keystore, String keyName, Map<String, String> extra) {
        Map<String, String> v = new HashMap<>(extra);
        v.put("vault-url", server().vaultUrl());
        v.put("key-name", keyName);
        return KeystoreSettings.of(keystore, AzureKeyVaultKeystore.TYPE, v);
    }

    static AzureKeyVaultKeystore open(String keystore, String keyName) {
        return AzureKeyVaultKeystore.open(settings(keystore, keyName, Map.of()), KeyVaultTestServer.clients());
    }
}
