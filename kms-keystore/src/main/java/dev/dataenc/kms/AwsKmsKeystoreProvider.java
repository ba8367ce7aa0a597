package dev.dataenc.kms;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;

/** Provider of the {@code aws-kms} keystore type ({@link AwsKmsKeystore}; its Javadoc lists the settings). */
public final class AwsKmsKeystoreProvider implements KeystoreProvider {

    @Override
    public String type() {
        return AwsKmsKeystore.TYPE;
    }

    /** The settings an {@code aws-kms} keystore understands (see kms-keystore/README.md). */
    @Override
    public java.util.Set<String> settingNames() {
        return java.util.Set.copyOf(AwsKmsSettings.NAMES);
    }

    @Override
    public Keystore create(KeystoreSettings settings) {
        return AwsKmsKeystore.open(settings);
    }
}
