package dev.dataenc.pkcs11;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreCreator;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;

import java.util.Set;

/** Provider of the {@code pkcs11} keystore type ({@link Pkcs11Keystore}; its Javadoc lists the settings). */
public final class Pkcs11KeystoreProvider implements KeystoreProvider, KeystoreCreator {

    @Override
    public String type() {
        return Pkcs11Keystore.TYPE;
    }

    /** Opens the token and finds the master key; never creates one (see {@link #createMasterKey}). */
    @Override
    public Keystore create(KeystoreSettings settings) {
        return Pkcs11Keystore.open(settings);
    }

    /** Generates the master key on the token: see {@link Pkcs11Keystore#createMasterKey(KeystoreSettings)}. */
    @Override
    public MasterKeyDescription createMasterKey(KeystoreSettings settings) {
        return Pkcs11Keystore.createMasterKey(settings);
    }

    @Override
    public Set<String> settingNames() {
        return Pkcs11Settings.NAMES;
    }
}
