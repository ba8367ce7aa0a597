package dev.dataenc.kms;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreContractTest;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.kms.testing.KmsTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The keystore contract for {@code aws-kms}: the real SDK over HTTP against the KMS test server, one key per keystore. */
class AwsKmsKeystoreContractTest extends KeystoreContractTest {

    private static KmsTestServer kms;

    @BeforeAll
    static void startKms() {
        kms = KmsTestServer.start();
    }

    @AfterAll
    static void stopKms() {
        kms.close();
    }

    @Override
    protected Keystore newKeystore(String name) {
        KmsTestServer.Key key = kms.createKey();
        kms.createAlias("alias/" + name + "-" + key.keyId(), key.keyId());
        return Keystores.create(KeystoreSettings.of(name, "aws-kms", kms.keystoreSettings("alias/" + name + "-" + key.keyId())));
    }

    @Override
    protected void disableMasterKey(Keystore keystore) {
        ((MasterKeyAdmin) keystore).disableMasterKey();
    }

    @Override
    protected void enableMasterKey(Keystore keystore) {
        ((MasterKeyAdmin) keystore).enableMasterKey();
    }

    @Override
    protected String expectedType() {
        return "aws-kms";
    }
}
