package dev.dataenc.local;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;

/** Provider of the {@code local} keystore type ({@link LocalKeystore}; its Javadoc lists the settings). */
public final class LocalKeystoreProvider implements KeystoreProvider {

    @Override
    public String type() {
        return LocalKeystore.TYPE;
    }

    @Override
    public Keystore create(KeystoreSettings settings) {
        return LocalKeystore.open(settings);
    }
}
