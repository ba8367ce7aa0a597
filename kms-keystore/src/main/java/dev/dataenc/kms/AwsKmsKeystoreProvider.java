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

    @Override
    public Keystore create(KeystoreSettings settings) {
        return AwsKmsKeystore.open(settings);
    }
}
