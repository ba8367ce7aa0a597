package dev.dataenc.local;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreCreator;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;

import java.util.Set;

/** Provider of the {@code local} keystore type ({@link LocalKeystore}; its Javadoc lists the settings). */
public final class LocalKeystoreProvider implements KeystoreProvider, KeystoreCreator {

    @Override
    public String type() {
        return LocalKeystore.TYPE;
    }

    /** Opens an existing keystore file; never creates one (see {@link #createMasterKey}). */
    @Override
    public Keystore create(KeystoreSettings settings) {
        return LocalKeystore.open(settings);
    }

    /** Creates the master key (and its file): see {@link LocalKeystore#createMasterKey(KeystoreSettings)}. */
    @Override
    public MasterKeyDescription createMasterKey(KeystoreSettings settings) {
        return LocalKeystore.createMasterKey(settings);
    }

    /** {@code path}, {@code password-env}, {@code password}, {@code master-key}, {@code wrap-algorithm}, {@code create}. */
    @Override
    public Set<String> settingNames() {
        return Set.of(LocalKeystoreConfig.PATH, LocalKeystoreConfig.PASSWORD_ENV, LocalKeystoreConfig.PASSWORD,
                LocalKeystoreConfig.MASTER_KEY, LocalKeystoreConfig.WRAP_ALGORITHM, LocalKeystoreConfig.CREATE);
    }
}
