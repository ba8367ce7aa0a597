package dev.dataenc.custom;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreContractTest;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyState;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/** The keystore contract for the {@code custom} keystore with {@link ExampleAesGcmCipher}. */
class CustomCipherKeystoreContractTest extends KeystoreContractTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected Keystore newKeystore(String name) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Keystores.create(KeystoreSettings.of(name, "custom", Map.of(
                "class", ExampleAesGcmCipher.class.getName(),
                "secret-key-hex", HexFormat.of().formatHex(key),
                "key-id", "example-" + name)));
    }

    private static ExampleAesGcmCipher cipherOf(Keystore keystore) {
        return (ExampleAesGcmCipher) ((CustomCipherKeystore) keystore).cipher();
    }

    @Override
    protected void disableMasterKey(Keystore keystore) {
        cipherOf(keystore).setState(MasterKeyState.DISABLED);
    }

    @Override
    protected void enableMasterKey(Keystore keystore) {
        cipherOf(keystore).setState(MasterKeyState.ENABLED);
    }

    @Override
    protected String expectedType() {
        return "custom";
    }
}
