package dev.dataenc.custom;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;

import java.util.Set;

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

    /**
     * Not declared (empty): besides {@code class}, every setting is passed to the site's
     * {@link CustomCipher#init(java.util.Map)}, so any name may be meaningful.
     */
    @Override
    public Set<String> settingNames() {
        return Set.of();
    }
}
