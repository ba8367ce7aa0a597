package dev.dataenc.local;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;

import java.util.Set;

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

    /** {@code path}, {@code password-env}, {@code password}, {@code master-key}, {@code wrap-algorithm}, {@code create}. */
    @Override
    public Set<String> settingNames() {
        return Set.of(LocalKeystoreConfig.PATH, LocalKeystoreConfig.PASSWORD_ENV, LocalKeystoreConfig.PASSWORD,
                LocalKeystoreConfig.MASTER_KEY, LocalKeystoreConfig.WRAP_ALGORITHM, LocalKeystoreConfig.CREATE);
    }
}
