package dev.dataenc.custom;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;

/** Provider of the {@code custom} keystore type ({@link CustomCipherKeystore}; its Javadoc lists the settings). */
public final class CustomCipherKeystoreProvider implements KeystoreProvider {

    @Override
    public String type() {
        return CustomCipherKeystore.TYPE;
    }

    @Override
    public Keystore create(KeystoreSettings settings) {
        return CustomCipherKeystore.create(settings);
    }
}
