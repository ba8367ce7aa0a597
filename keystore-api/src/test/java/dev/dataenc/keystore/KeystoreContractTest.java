package dev.dataenc.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Keystore} implementation must have. Ship a subclass in each
 * keystore module's tests; it provides a fresh keystore and a way to switch its master key
 * off and on. Shipped in the keystore-api test-jar.
 */
public abstract class KeystoreContractTest {

    /** A new keystore with its own, new master key, configured under {@code name}. */
    protected abstract Keystore newKeystore(String name) throws Exception;

    /** Makes the master key of {@code keystore} unusable (as an administrator would: disable it). */
    protected abstract void disableMasterKey(Keystore keystore) throws Exception;

    /** Makes it usable again. */
    protected abstract void enableMasterKey(Keystore keystore) throws Exception;

    /** The provider type name the keystore reports. */
    protected abstract String expectedType();

    /** The state {@link #disableMasterKey} leads to (DISABLED unless the implementation says otherwise). */
    protected MasterKeyState disabledState() {
        return MasterKeyState.DISABLED;
    }

    private final List<Keystore> opened = new ArrayList<>();
    protected Keystore keystore;

    @BeforeEach
    void openKeystore() throws Exception {
        keystore = open("contract-a");
    }

    @AfterEach
    void closeKeystores() {
        opened.forEach(Keystore::close);
    }

    protected Keystore open(String name) throws Exception {
        Keystore ks = newKeystore(name);
        opened.add(ks);
        return ks;
    }

    @Test
    void reportsNameAndType() {
        assertEquals("contract-a", keystore.name());
        assertEquals(expectedType(), keystore.type());
    }

    @Test
    void providerIsFoundByServiceLoader() {
        assertEquals(expectedType(), Keystores.provider(expectedType()).type());
    }

    @Test
    void generatedKey_unwrapsToSameBytes() {
        CdkId id = CdkId.random();
        try (GeneratedDataKey generated = keystore.generateDataKey(id);
             DataKey unwrapped = keystore.unwrap(id, generated.wrapping())) {
            assertEquals(id, generated.key().cdkId());
            assertEquals(DataKey.LENGTH, generated.key().getEncoded().length);
            assertEquals("contract-a", generated.wrapping().keystoreName());
            assertTrue(unwrapped.sameKeyAs(generated.key()));
        }
    }

    @Test
    void generatedKeys_areDistinct() {
        try (GeneratedDataKey a = keystore.generateDataKey(CdkId.random());
             GeneratedDataKey b = keystore.generateDataKey(CdkId.random())) {
            assertFalse(java.util.Arrays.equals(a.key().getEncoded(), b.key().getEncoded()));
            assertFalse(java.util.Arrays.equals(a.wrapping().wrappedKey(), b.wrapping().wrappedKey()));
        }
    }

    @Test
    void wrappedBytes_doNotContainThePlaintextKey() {
        try (GeneratedDataKey g = keystore.generateDataKey(CdkId.random())) {
            byte[] key = g.key().getEncoded();
            byte[] wrapped = g.wrapping().wrappedKey();
            assertFalse(indexOf(wrapped, key) >= 0, "wrapped key must not contain the plaintext key");
        }
    }

    @Test
    void existingKey_wrapsAndUnwraps() {
        CdkId id = CdkId.random();
        try (DataKey key = DataKey.generate(id)) {
            Wrapping w = keystore.wrap(key);
            assertTrue(keystore.canUnwrap(w));
            try (DataKey back = keystore.unwrap(id, w)) {
                assertTrue(back.sameKeyAs(key));
            }
        }
    }

    @Test
    void wrappingForOneCdk_failsForAnother() {
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = keystore.generateDataKey(id)) {
            assertThrows(WrappedKeyException.class, () -> keystore.unwrap(CdkId.random(), g.wrapping()));
        }
    }

    @Test
    void tamperedWrapping_fails() {
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = keystore.generateDataKey(id)) {
            byte[] wrapped = g.wrapping().wrappedKey();
            for (int i = 0; i < wrapped.length; i += Math.max(1, wrapped.length / 16)) {
                byte[] bad = wrapped.clone();
                bad[i] ^= 0x01;
                Wrapping w = new Wrapping(g.wrapping().keystoreName(), g.wrapping().masterKeyId(),
                        g.wrapping().masterKeyVersion(), bad);
                assertThrows(WrappedKeyException.class, () -> keystore.unwrap(id, w), "flipped byte " + i);
            }
        }
    }

    @Test
    void truncatedWrapping_fails() {
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = keystore.generateDataKey(id)) {
            byte[] wrapped = g.wrapping().wrappedKey();
            for (int len : new int[] {0, 1, wrapped.length / 2, wrapped.length - 1}) {
                Wrapping w = new Wrapping(g.wrapping().keystoreName(), g.wrapping().masterKeyId(),
                        g.wrapping().masterKeyVersion(), java.util.Arrays.copyOf(wrapped, len));
                assertThrows(WrappedKeyException.class, () -> keystore.unwrap(id, w), "length " + len);
            }
        }
    }

    @Test
    void otherKeystoresWrapping_isNotAccepted() throws Exception {
        Keystore other = open("contract-b");
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = other.generateDataKey(id)) {
            assertFalse(keystore.canUnwrap(g.wrapping()));
            assertThrows(IllegalArgumentException.class, () -> keystore.unwrap(id, g.wrapping()));
        }
    }

    @Test
    void describe_reportsEnabledMasterKey() {
        MasterKeyDescription d = keystore.describe();
        assertEquals("contract-a", d.keystoreName());
        assertEquals(MasterKeyState.ENABLED, d.state());
        assertFalse(d.masterKeyId().isBlank());
    }

    @Test
    void wrappingRecordsTheMasterKeyDescribed() {
        try (GeneratedDataKey g = keystore.generateDataKey(CdkId.random())) {
            MasterKeyDescription d = keystore.describe();
            assertEquals(d.masterKeyId(), g.wrapping().masterKeyId());
            assertEquals(d.masterKeyVersion(), g.wrapping().masterKeyVersion());
        }
    }

    @Test
    void disabledMasterKey_failsWithStateAndRecoversWhenEnabled() throws Exception {
        CdkId id = CdkId.random();
        Wrapping w;
        try (GeneratedDataKey g = keystore.generateDataKey(id)) {
            w = g.wrapping();
        }
        disableMasterKey(keystore);
        assertEquals(disabledState(), keystore.describe().state());
        KeystoreUnavailableException onUnwrap =
                assertThrows(KeystoreUnavailableException.class, () -> keystore.unwrap(id, w));
        assertEquals(disabledState(), onUnwrap.state());
        assertEquals("contract-a", onUnwrap.keystoreName());
        assertTrue(onUnwrap.getMessage().contains(disabledState().remedy()), onUnwrap.getMessage());
        assertThrows(KeystoreUnavailableException.class, () -> keystore.generateDataKey(CdkId.random()));
        try (DataKey k = DataKey.generate(CdkId.random())) {
            assertThrows(KeystoreUnavailableException.class, () -> keystore.wrap(k));
        }

        enableMasterKey(keystore);
        assertEquals(MasterKeyState.ENABLED, keystore.describe().state());
        try (DataKey back = keystore.unwrap(id, w)) {
            assertEquals(id, back.cdkId());
        }
    }

    @Test
    void concurrentUse_isSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    for (int i = 0; i < 25; i++) {
                        CdkId id = CdkId.random();
                        try (GeneratedDataKey g = keystore.generateDataKey(id);
                             DataKey back = keystore.unwrap(id, g.wrapping())) {
                            if (!back.sameKeyAs(g.key())) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toStringOfKeysAndWrappings_revealNoKeyBytes() {
        try (GeneratedDataKey g = keystore.generateDataKey(CdkId.random())) {
            String hex = java.util.HexFormat.of().formatHex(g.key().getEncoded());
            for (String s : List.of(g.toString(), g.key().toString(), g.wrapping().toString(), keystore.toString())) {
                assertFalse(s.toLowerCase().contains(hex.substring(0, 16)), s);
            }
            assertNotEquals(-1, g.wrapping().toString().indexOf("bytes"));
        }
    }

    @Test
    void unwrappedKeyIsOwnedByCaller_destroyZeroes() {
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = keystore.generateDataKey(id)) {
            DataKey back = keystore.unwrap(id, g.wrapping());
            back.destroy();
            assertTrue(back.isDestroyed());
            assertThrows(IllegalStateException.class, back::getEncoded);
            assertArrayEquals(g.key().getEncoded(), keystore.unwrap(id, g.wrapping()).getEncoded());
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
