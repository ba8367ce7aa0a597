package dev.dataenc.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkCheckValue;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.error.ActiveCdkNotWrappedException;
import dev.dataenc.error.CdkCheckFailedException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.testing.FakeKeystore;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry writer must not be able to choose the key: wrappings are checked against the CDK's
 * check value, encryption uses only a CDK the active keystore wraps, legacy CDKs follow the policy.
 */
class CdkCacheIntegrityTest {

    private static final String CONTEXT = "Customer.email";
    /** A second keystore the application trusts, whose master key a registry writer also holds. */
    private final FakeKeystore other = new FakeKeystore("fake-b");
    private PropertyFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    private PropertyFixture fixture(java.util.function.UnaryOperator<CdkCache.Builder> settings) {
        PropertyFixture p = new PropertyFixture(true, b -> settings.apply(b));
        return p;
    }

    /** A cache over both keystores (fake-a first, then the writer's fake-b). */
    private CdkCache cacheOverBoth(java.util.function.UnaryOperator<CdkCache.Builder> settings) {
        return settings.apply(CdkCache.builder(f.registry, List.of(f.keystore, other))).build();
    }

    /** Old code: the cache trusted any wrapping that unwrapped, so the writer's key was used for new data. */
    @Test
    void wrappingOfAnotherKeyAddedByRegistryWriter_isRefused_neverUsedToEncrypt() {
        f = fixture(b -> b);
        Cdk cdk = f.registry.findActive().orElseThrow();
        try (DataKey writersKey = DataKey.generate(cdk.id())) {
            f.registry.addWrapping(cdk.id(), other.wrap(writersKey));
            f.registry.removeWrapping(cdk.id(), cdk.wrappings().get(0));
            try (CdkCache cache = cacheOverBoth(b -> b)) {
                CdkCheckFailedException e = assertThrows(CdkCheckFailedException.class, cache::activeKey);
                assertEquals(cdk.id(), e.cdkId());
                assertTrue(e.getMessage().contains("fake-b") && e.getMessage().contains("check value"), e.getMessage());
                assertThrows(CdkCheckFailedException.class, () -> cache.key(cdk.id()));
                assertEquals(0, cache.stats().entries());
            }
        }
    }

    @Test
    void writersWrappingListedFirst_isSkipped_theCdksOwnKeyIsUsed() {
        f = fixture(b -> b);
        Cdk cdk = f.registry.findActive().orElseThrow();
        byte[] before = f.cipher.encrypt("old".getBytes(UTF_8), CONTEXT);
        Cdk withWriters = cdk.withWrappings(List.of(other.wrap(DataKey.generate(cdk.id())), cdk.wrappings().get(0)));
        try (CdkCache cache = CdkCache.builder(new FixedCdkRegistry(withWriters), List.of(f.keystore, other)).build()) {
            PropertyCipher cipher = new PropertyCipher(cache);
            assertArrayEquals("old".getBytes(UTF_8), cipher.decrypt(before, CONTEXT));
            byte[] after = cipher.encrypt("new".getBytes(UTF_8), CONTEXT);
            assertArrayEquals("new".getBytes(UTF_8), f.cipher.decrypt(after, CONTEXT), "encrypted under the real key");
            assertEquals(1, other.unwrapCalls.get());
        }
    }

    @Test
    void verifiedUnwrap_refusesKeyFailingCheckValue_andDestroysIt() {
        f = fixture(b -> b);
        Cdk cdk = f.registry.findActive().orElseThrow();
        Wrapping bogus = other.wrap(DataKey.generate(cdk.id()));
        assertThrows(CdkCheckFailedException.class, () -> VerifiedUnwrap.unwrap(other, cdk, bogus));
        try (DataKey k = VerifiedUnwrap.unwrap(f.keystore, cdk, cdk.wrappings().get(0))) {
            assertTrue(cdk.checkValue().matches(k));
        }
        try (DataKey wrongId = DataKey.generate(CdkId.random())) {
            assertThrows(CdkCheckFailedException.class, () -> VerifiedUnwrap.check(cdk, wrongId, "test"));
        }
    }

    @Test
    void activeKeystoreWithoutWrappingOfActiveCdk_refusesEncryption_decryptionStillWorks() {
        f = fixture(b -> b);
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), CONTEXT);
        Cdk cdk = f.registry.findActive().orElseThrow();
        try (CdkCache cache = cacheOverBoth(b -> b.activeKeystore("fake-b"))) {
            ActiveCdkNotWrappedException e = assertThrows(ActiveCdkNotWrappedException.class, cache::activeKey);
            assertTrue(e.getMessage().contains("fake-b") && e.getMessage().contains(cdk.id().toString()), e.getMessage());
            assertArrayEquals("x".getBytes(UTF_8), new PropertyCipher(cache).decrypt(ct, CONTEXT));
            assertThrows(ActiveCdkNotWrappedException.class, cache::activeKey, "a decryption-path load does not help");
        }
        try (DataKey key = f.keystore.unwrap(cdk.id(), cdk.wrappings().get(0))) {
            f.registry.addWrapping(cdk.id(), other.wrap(key));
        }
        try (CdkCache cache = cacheOverBoth(b -> b.activeKeystore("fake-b"))) {
            int before = f.keystore.unwrapCalls.get();
            assertEquals(cdk.id(), cache.activeKey().cdkId());
            assertEquals(1, other.unwrapCalls.get(), "unwrapped through the active keystore");
            assertEquals(before, f.keystore.unwrapCalls.get());
        }
    }

    @Test
    void activeKeystoreNotOpenHere_refusesEncryption() {
        f = fixture(b -> b.activeKeystore("kms-prod"));
        ActiveCdkNotWrappedException e = assertThrows(ActiveCdkNotWrappedException.class, f.cache::activeKey);
        assertTrue(e.getMessage().contains("kms-prod") && e.getMessage().contains("fake-a"), e.getMessage());
    }

    @Test
    void activeKeystoreSet_andItWrapsTheActiveCdk_encryptsAsBefore() {
        f = fixture(b -> b.activeKeystore("fake-a"));
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), CONTEXT);
        assertArrayEquals("x".getBytes(UTF_8), f.cipher.decrypt(ct, CONTEXT));
        assertEquals(1, f.keystore.unwrapCalls.get());
    }

    private Cdk activateLegacy() {
        Cdk current = f.registry.findActive().orElseThrow();
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = f.keystore.generateDataKey(id)) {
            Cdk legacy = new Cdk(id, CdkStatus.ACTIVE, Instant.now(), List.of(g.wrapping()));
            f.registry.activate(legacy, current.id());
            f.cache.invalidateActive();
            return legacy;
        }
    }

    @Test
    void legacyCdk_underWarn_isUsedForBoth() {
        f = fixture(b -> b);
        activateLegacy();
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), CONTEXT);
        assertArrayEquals("x".getBytes(UTF_8), f.cipher.decrypt(ct, CONTEXT));
    }

    @Test
    void legacyCdk_underDecryptOnly_decryptsButIsNotEncryptedUnder() {
        f = fixture(b -> b.legacyCdks(LegacyCdkPolicy.DECRYPT_ONLY));
        Cdk legacy = activateLegacy();
        CdkCheckFailedException e = assertThrows(CdkCheckFailedException.class, f.cache::activeKey);
        assertTrue(e.getMessage().contains("no check value") && e.getMessage().contains("rotate-cdk"), e.getMessage());
        assertEquals(legacy.id(), f.cache.key(legacy.id()).cdkId());
    }

    @Test
    void legacyCdk_underRefuse_isNotUnwrapped() {
        f = fixture(b -> b.legacyCdks(LegacyCdkPolicy.REFUSE));
        Cdk legacy = activateLegacy();
        assertThrows(CdkCheckFailedException.class, () -> f.cache.key(legacy.id()));
        assertEquals(0, f.keystore.unwrapCalls.get());
    }

    @Test
    void establishCheckValue_ofLegacyCdk_agreeingWrappings_thenRecordedAndEnforced() {
        f = fixture(b -> b.legacyCdks(LegacyCdkPolicy.REFUSE));
        Cdk legacy = activateLegacy();
        try (DataKey key = f.keystore.unwrap(legacy.id(), legacy.wrappings().get(0))) {
            f.registry.addWrapping(legacy.id(), other.wrap(key));
            CdkUnwrapper unwrapper = new CdkUnwrapper(List.of(f.keystore, other));
            CdkCheckValue value = unwrapper.establishCheckValue(f.registry.find(legacy.id()).orElseThrow());
            assertEquals(CdkCheckValue.of(key), value);
            f.registry.recordCheckValue(legacy.id(), value);
        }
        f.cache.invalidateActive();
        byte[] ct = f.cipher.encrypt("x".getBytes(UTF_8), CONTEXT);
        assertArrayEquals("x".getBytes(UTF_8), f.cipher.decrypt(ct, CONTEXT));
    }

    @Test
    void establishCheckValue_ofLegacyCdk_disagreeingWrappings_isRefused() {
        f = fixture(b -> b);
        Cdk legacy = activateLegacy();
        f.registry.addWrapping(legacy.id(), other.wrap(DataKey.generate(legacy.id())));
        CdkUnwrapper unwrapper = new CdkUnwrapper(List.of(f.keystore, other));
        CdkCheckFailedException e = assertThrows(CdkCheckFailedException.class,
                () -> unwrapper.establishCheckValue(f.registry.find(legacy.id()).orElseThrow()));
        assertTrue(e.getMessage().contains("different keys"), e.getMessage());
        assertTrue(f.registry.find(legacy.id()).orElseThrow().checkValueIfKnown().isEmpty());
    }

    @Test
    void checkValueFailureMessages_holdNoKeyBytes() {
        f = fixture(b -> b);
        Cdk cdk = f.registry.findActive().orElseThrow();
        try (DataKey real = f.keystore.unwrap(cdk.id(), cdk.wrappings().get(0))) {
            CdkCheckFailedException e = assertThrows(CdkCheckFailedException.class,
                    () -> VerifiedUnwrap.unwrap(other, cdk, other.wrap(DataKey.generate(cdk.id()))));
            String hex = java.util.HexFormat.of().formatHex(real.getEncoded());
            assertFalse(e.getMessage().contains(hex));
        }
    }

    @Test
    void activeKeystoreSupplier_isAskedAtLoad_soASwitchByAnotherNodeIsFollowed() {
        f = fixture(b -> b);
        java.util.concurrent.atomic.AtomicReference<String> designated = new java.util.concurrent.atomic.AtomicReference<>("fake-a");
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        try (CdkCache cache = cacheOverBoth(b -> b.activeKeystore(designated::get).nanoTime(nanos::get))) {
            assertEquals(f.activeId(), cache.activeKey().cdkId());
            // another node switches to fake-b: a new ACTIVE CDK wrapped by fake-b only, and the registry's active keystore
            Cdk next = new dev.dataenc.cdk.CdkGenerator(f.registry).generateActive(other);
            designated.set("fake-b");
            nanos.addAndGet(java.time.Duration.ofSeconds(11).toNanos());
            assertEquals(next.id(), cache.activeKey().cdkId());
            designated.set("fake-a"); // and a node still designating fake-a refuses the new CDK once its key is reloaded
            cache.evictAll();
            assertThrows(ActiveCdkNotWrappedException.class, cache::activeKey);
        }
    }
}
