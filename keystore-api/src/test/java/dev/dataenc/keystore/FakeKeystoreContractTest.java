package dev.dataenc.keystore;

import dev.dataenc.testing.FakeKeystore;
import dev.dataenc.testing.FakeKeystoreProvider;

/** Runs the contract against the test fake, so the contract test itself is checked. */
class FakeKeystoreContractTest extends KeystoreContractTest {

    @Override
    protected Keystore newKeystore(String name) {
        return new FakeKeystore(name);
    }

    @Override
    protected void disableMasterKey(Keystore keystore) {
        ((FakeKeystore) keystore).setState(MasterKeyState.DISABLED);
    }

    @Override
    protected void enableMasterKey(Keystore keystore) {
        ((FakeKeystore) keystore).setState(MasterKeyState.ENABLED);
    }

    @Override
    protected String expectedType() {
        return FakeKeystoreProvider.TYPE;
    }
}
