package dev.dataenc.local;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreContractTest;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyAdmin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;

/**
 * The keystore contract for the {@code local} keystore with real PKCS#12 files, wrap algorithm aes-gcm. Each
 * keystore name has its own master key, created once per JVM and copied ({@link LocalKeystoreFiles}).
 */
class LocalKeystoreContractTest extends KeystoreContractTest {

    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();

    /** The {@code wrap-algorithm} setting under test. */
    protected String wrapAlgorithm() {
        return "aes-gcm";
    }

    @Override
    protected Keystore newKeystore(String name) {
        Path file = dir.resolve(name + "-" + files.incrementAndGet() + ".p12");
        KeystoreSettings settings = KeystoreSettings.of(name, "local", Map.of("path", file.toString(),
                "password", "contract-test-password", "master-key", name, "wrap-algorithm", wrapAlgorithm()));
        return new LocalKeystoreProvider().create(LocalKeystoreFiles.provide(settings));
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
        return "local";
    }
}
