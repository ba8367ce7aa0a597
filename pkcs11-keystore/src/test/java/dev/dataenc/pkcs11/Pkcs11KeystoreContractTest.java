package dev.dataenc.pkcs11;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreContractTest;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.pkcs11.testing.SoftHsm;
import dev.dataenc.pkcs11.testing.TokenAdmin;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keystore contract on SoftHSM2: each keystore gets its own AES-256 key, generated on the token by
 * {@link Pkcs11Keystore#createMasterKey}. "Disabled" is what an HSM administrator does: CKA_ENCRYPT and CKA_DECRYPT
 * of the key set to false on the token, so the token itself refuses to use it.
 */
class Pkcs11KeystoreContractTest extends KeystoreContractTest {

    private final Map<Keystore, String> labels = new ConcurrentHashMap<>();

    @Override
    protected Keystore newKeystore(String name) {
        SoftHsm hsm = SoftHsm.get();
        String label = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        KeystoreSettings s = hsm.settings(name, SoftHsm.MAIN, label, Map.of());
        Pkcs11Keystore.createMasterKey(s, System::getenv);
        Pkcs11Keystore ks = Pkcs11Keystore.open(s, System::getenv);
        labels.put(ks, label);
        return ks;
    }

    @Override
    protected void disableMasterKey(Keystore keystore) {
        admin().setUsable(labels.get(keystore), false);
    }

    @Override
    protected void enableMasterKey(Keystore keystore) {
        admin().setUsable(labels.get(keystore), true);
    }

    @Override
    protected String expectedType() {
        return "pkcs11";
    }

    private static TokenAdmin admin() {
        SoftHsm hsm = SoftHsm.get();
        return new TokenAdmin(hsm.library(), hsm.slot(SoftHsm.MAIN));
    }
}
