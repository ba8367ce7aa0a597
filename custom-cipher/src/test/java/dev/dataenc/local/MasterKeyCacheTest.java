package dev.dataenc.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM's cache of master keys read from files: found only by the same bytes and the same password. */
class MasterKeyCacheTest {

    private static final String PASSWORD = "cache-test-password";

    @TempDir
    Path dir;

    private KeystoreSettings settings(Path file, String password) {
        return KeystoreSettings.of("c", "local", Map.of("path", file.toString(), "password", password));
    }

    @Test
    void readKeys_areFoundOnlyForTheSameBytesAndPassword() throws Exception {
        Path file = dir.resolve("k.p12");
        LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
        MasterKeyCache.clear();
        String id;
        try (LocalKeystore ks = LocalKeystore.open(settings(file, PASSWORD), n -> null)) {
            id = ks.describe().masterKeyId();
        }
        byte[] digest = MasterKeyCache.digest(Files.readAllBytes(file));
        assertEquals(id, MasterKeyCache.get(digest, "dataenc-master", PASSWORD.toCharArray()).orElseThrow().masterKeyId());
        assertTrue(MasterKeyCache.get(digest, "dataenc-master", "cache-test-passwore".toCharArray()).isEmpty());
        assertTrue(MasterKeyCache.get(digest, "other-key", PASSWORD.toCharArray()).isEmpty());
    }

    @Test
    void wrongPasswordAfterCachedOpen_isStillRefused() {
        Path file = dir.resolve("k.p12");
        LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
        LocalKeystore.open(settings(file, PASSWORD), n -> null).close();
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class,
                () -> LocalKeystore.open(settings(file, "not-the-cache-password"), n -> null));
        assertTrue(e.getMessage().contains("wrong"), e.getMessage());
    }

    @Test
    void tamperedFileAfterCachedOpen_isReadAndRefused() throws Exception {
        Path file = dir.resolve("k.p12");
        LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
        LocalKeystore.open(settings(file, PASSWORD), n -> null).close();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertThrows(KeystoreConfigurationException.class, () -> LocalKeystore.open(settings(file, PASSWORD), n -> null));
    }
}
