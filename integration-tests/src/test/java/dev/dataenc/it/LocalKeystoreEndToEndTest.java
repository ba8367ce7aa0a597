package dev.dataenc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkGenerator;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.CdkCache;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.registry.JdbcCdkRegistry;
import dev.dataenc.registry.RegistryDatabase;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole data plane on real parts: a {@code local} keystore in a PKCS#12 file, the H2 CDK
 * registry in a file, property and BLOB ciphers — across a "restart" (everything closed and
 * opened again from the files), master key rotation and a disabled master key.
 */
class LocalKeystoreEndToEndTest {

    @TempDir
    Path dir;

    private Keystore openKeystore() {
        KeystoreSettings settings = KeystoreSettings.of("main", "local",
                Map.of("path", dir.resolve("keys.p12").toString(), "password", "it-only-password"));
        if (!java.nio.file.Files.exists(dir.resolve("keys.p12"))) {
            Keystores.createMasterKey(settings); // as `dataenc keystore create main`: opening never creates
        }
        return Keystores.create(settings);
    }

    @Test
    void dataEncryptedBeforeRestart_decryptsAfterRestart() throws Exception {
        byte[] blob = new byte[300_000];
        new Random(7).nextBytes(blob);
        String stored;
        byte[] storedBlob;
        try (RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
             Keystore ks = openKeystore();
             CdkCache cache = new CdkCache(new JdbcCdkRegistry(db), List.of(ks), CacheLimits.defaults())) {
            new CdkGenerator(new JdbcCdkRegistry(db)).generateActive(ks);
            stored = new PropertyCipher(cache).encryptString("ada@example.com", "Customer.email");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new BlobCipher(cache).encrypt(new ByteArrayInputStream(blob), out, "Invoice.pdf");
            storedBlob = out.toByteArray();
        }
        try (RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
             Keystore ks = openKeystore();
             CdkCache cache = new CdkCache(new JdbcCdkRegistry(db), List.of(ks), CacheLimits.defaults())) {
            assertEquals("ada@example.com", new PropertyCipher(cache).decryptString(stored, "Customer.email"));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            new BlobCipher(cache).decrypt(new ByteArrayInputStream(storedBlob), back, "Invoice.pdf");
            assertArrayEquals(blob, back.toByteArray());
            assertEquals(1, cache.stats().keystoreCalls(), "one unwrap for the one CDK, then cache hits");
        }
    }

    @Test
    void masterKeyRotation_oldAndNewCdksDecrypt() {
        try (RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
             Keystore ks = openKeystore();
             CdkCache cache = new CdkCache(new JdbcCdkRegistry(db), List.of(ks), CacheLimits.defaults())) {
            CdkRegistry registry = new JdbcCdkRegistry(db);
            Cdk first = new CdkGenerator(registry).generateActive(ks);
            PropertyCipher p = new PropertyCipher(cache);
            String old = p.encryptString("before rotation", "ctx");

            ((MasterKeyAdmin) ks).rotateMasterKey();
            Cdk second = new CdkGenerator(registry).generateActive(ks);
            cache.invalidateActive();
            assertNotEquals(first.wrappings().get(0).masterKeyVersion(), second.wrappings().get(0).masterKeyVersion());
            String fresh = p.encryptString("after rotation", "ctx");
            assertEquals(second.id(), PropertyCipher.cdkIdOf(fresh));

            cache.evictAll();
            assertEquals("before rotation", p.decryptString(old, "ctx"));
            assertEquals("after rotation", p.decryptString(fresh, "ctx"));
        }
    }

    @Test
    void disabledMasterKey_refusesUncachedCdks_untilEnabled() {
        try (RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
             Keystore ks = openKeystore();
             CdkCache cache = new CdkCache(new JdbcCdkRegistry(db), List.of(ks), CacheLimits.defaults())) {
            new CdkGenerator(new JdbcCdkRegistry(db)).generateActive(ks);
            PropertyCipher p = new PropertyCipher(cache);
            String ct = p.encryptString("secret-value-42", "ctx");

            ((MasterKeyAdmin) ks).disableMasterKey();
            assertEquals(MasterKeyState.DISABLED, ks.describe().state());
            cache.evictAll();
            CdkUnavailableException e = assertThrows(CdkUnavailableException.class, () -> p.decryptString(ct, "ctx"));
            assertTrue(e.getMessage().contains("DISABLED"), e.getMessage());
            assertTrue(!e.getMessage().contains("secret-value-42"), e.getMessage());

            ((MasterKeyAdmin) ks).enableMasterKey();
            assertEquals("secret-value-42", p.decryptString(ct, "ctx"));
        }
    }
}
