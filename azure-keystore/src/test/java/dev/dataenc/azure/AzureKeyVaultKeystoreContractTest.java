package dev.dataenc.azure;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreContractTest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keystore contract through the real Azure SDK against the Key Vault test double: each keystore gets its own RSA
 * key; "disabled" is {@code enabled=false} on the key, so the vault itself refuses wrapKey and unwrapKey.
 */
class AzureKeyVaultKeystoreContractTest extends KeystoreContractTest {

    private final Map<Keystore, String> keyNames = new ConcurrentHashMap<>();

    @Override
    protected Keystore newKeystore(String name) {
        String key = AzureKeyVaultFixture.newKey(name);
        AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open(name, key);
        keyNames.put(ks, key);
        return ks;
    }

    @Override
    protected void disableMasterKey(Keystore keystore) {
        AzureKeyVaultFixture.server().setEnabled(keyNames.get(keystore), false);
    }

    @Override
    protected void enableMasterKey(Keystore keystore) {
        AzureKeyVaultFixture.server().setEnabled(keyNames.get(keystore), true);
    }

    @Override
    protected String expectedType() {
        return AzureKeyVaultKeystore.TYPE;
    }
}
