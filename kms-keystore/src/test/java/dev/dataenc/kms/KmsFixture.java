package dev.dataenc.kms;

import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.kms.testing.KmsTestServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Opens aws-kms keystores against one KMS test server and closes them all. */
final class KmsFixture implements AutoCloseable {

    final KmsTestServer kms;
    private final List<AwsKmsKeystore> opened = new ArrayList<>();

    KmsFixture() {
        kms = KmsTestServer.start();
    }

    AwsKmsKeystore open(String name, String keyId) {
        return open(name, keyId, s -> { });
    }

    AwsKmsKeystore open(String name, String keyId, Consumer<Map<String, String>> tweak) {
        Map<String, String> settings = kms.keystoreSettings(keyId);
        tweak.accept(settings);
        AwsKmsKeystore ks = AwsKmsKeystore.open(KeystoreSettings.of(name, AwsKmsKeystore.TYPE, settings));
        opened.add(ks);
        return ks;
    }

    @Override
    public void close() {
        opened.forEach(AwsKmsKeystore::close);
        kms.close();
    }
}
