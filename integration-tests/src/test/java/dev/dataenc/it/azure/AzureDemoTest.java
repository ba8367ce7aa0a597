package dev.dataenc.it.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cli.DataencCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataenc demo --azure-vault-url}: keystore-b is an azure-key-vault keystore, the real Azure SDK talking HTTPS
 * to the Key Vault test double (the service-loaded provider gets the test clients from the test-jar's
 * {@code AzureClientsSource}). The demo switches local → azure-key-vault and decrypts everything with keystore-b alone.
 */
class AzureDemoTest {

    @Test
    void demoWithAzureVault_switchesLocalToAzure_andDecryptsWithTheVaultAlone(@TempDir Path dir) throws Exception {
        try (KeyVaultTestServer server = KeyVaultTestServer.start()) {
            server.createRsaKey("demo-master");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo",
                    "--work-dir", dir.toString(), "--blob-mib", "1",
                    "--azure-vault-url", server.vaultUrl(), "--azure-key-name", "demo-master");

            String text = out.toString();
            assertEquals(0, code, text + err);
            assertTrue(text.contains("keystore-b is an azure-key-vault keystore: key demo-master in " + server.vaultUrl()),
                    text);
            assertTrue(text.contains("(azure-key-vault " + server.vaultUrl() + ")"), "step 1 says where keystore-b is: " + text);
            assertTrue(text.contains("$ dataenc switch keystore-b --cipher-type keystore"), text);
            assertTrue(text.contains("switch 'keystore-a' -> 'keystore-b': COMPLETED"), text);
            assertTrue(text.contains("CDKs re-wrapped: 2 by this run"), text);
            assertTrue(text.contains("decrypted all 4 values: identical to the originals"), text);
            assertTrue(text.contains("BLOB decrypted: SHA-256 matches the original"), text);
            assertTrue(text.contains("nothing changed: active keystore 'keystore-b'"), text);
            assertTrue(text.contains("demo finished"), text);
            String config = Files.readString(dir.resolve("dataenc.properties"));
            assertTrue(config.contains("dataenc.keystores.keystore-b.type=azure-key-vault"), config);
            assertTrue(config.contains("dataenc.keystores.keystore-b.key-name=demo-master"), config);
        }
    }

    @Test
    void azureVaultUrlWithoutKeyName_isBadUsage(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "demo",
                "--work-dir", dir.toString(), "--azure-vault-url", "https://example.vault.azure.net");
        assertEquals(DataencCli.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--azure-vault-url needs --azure-key-name <name>"), err.toString());
    }
}
