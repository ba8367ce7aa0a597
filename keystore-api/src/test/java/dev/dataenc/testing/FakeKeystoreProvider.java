package dev.dataenc.testing;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreProvider;
import dev.dataenc.keystore.KeystoreSettings;

/** Provider of {@link FakeKeystore}, type {@value #TYPE}; registered for tests only. */
public final class FakeKeystoreProvider implements KeystoreProvider {

    public static final String TYPE = "fake";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Keystore create(KeystoreSettings settings) {
        return new FakeKeystore(settings.name());
    }
}
