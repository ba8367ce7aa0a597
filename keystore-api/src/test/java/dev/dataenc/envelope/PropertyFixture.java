package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkGenerator;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.InMemoryCdkRegistry;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.testing.FakeKeystore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Real registry + fake keystore + cache + cipher, with a settable clock and a registry call counter. */
final class PropertyFixture implements AutoCloseable {

    final InMemoryCdkRegistry registry = new InMemoryCdkRegistry();
    final CountingRegistry countingRegistry = new CountingRegistry(registry);
    final FakeKeystore keystore = new FakeKeystore("fake-a");
    final CdkGenerator generator = new CdkGenerator(registry);
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final CdkCache cache;
    final PropertyCipher cipher;

    PropertyFixture(boolean withActiveCdk, CacheLimits limits) {
        this(withActiveCdk, b -> b.limits(limits));
    }

    /** A fixture whose cache is built with extra settings (the clock is always the fixture's). */
    PropertyFixture(boolean withActiveCdk, java.util.function.UnaryOperator<CdkCache.Builder> settings) {
        if (withActiveCdk) {
            generator.generateActive(keystore);
        }
        cache = settings.apply(CdkCache.builder(countingRegistry, List.of(keystore))).nanoTime(nanos::get).build();
        cipher = new PropertyCipher(cache);
    }

    PropertyFixture() {
        this(true, CacheLimits.defaults());
    }

    CdkId activeId() {
        return registry.findActive().orElseThrow().id();
    }

    /** Generates a new ACTIVE CDK and tells the cache. */
    Cdk rotate() {
        Cdk cdk = generator.generateActive(keystore);
        cache.invalidateActive();
        return cdk;
    }

    void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    @Override
    public void close() {
        cache.close();
    }

    /** Delegating registry that counts calls (around a real {@link InMemoryCdkRegistry}; not a mock). */
    static final class CountingRegistry implements CdkRegistry {
        final CdkRegistry delegate;
        final AtomicInteger calls = new AtomicInteger();

        CountingRegistry(CdkRegistry delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Cdk> find(CdkId id) {
            calls.incrementAndGet();
            return delegate.find(id);
        }

        @Override
        public Optional<Cdk> findActive() {
            calls.incrementAndGet();
            return delegate.findActive();
        }

        @Override
        public List<Cdk> list() {
            calls.incrementAndGet();
            return delegate.list();
        }

        @Override
        public void activate(Cdk newCdk, CdkId expectedActive) {
            calls.incrementAndGet();
            delegate.activate(newCdk, expectedActive);
        }

        @Override
        public void addWrapping(CdkId id, Wrapping wrapping) {
            calls.incrementAndGet();
            delegate.addWrapping(id, wrapping);
        }

        @Override
        public void removeWrapping(CdkId id, Wrapping wrapping) {
            calls.incrementAndGet();
            delegate.removeWrapping(id, wrapping);
        }

        @Override
        public void updateStatus(CdkId id, dev.dataenc.cdk.CdkStatus expected, dev.dataenc.cdk.CdkStatus next) {
            calls.incrementAndGet();
            delegate.updateStatus(id, expected, next);
        }

        @Override
        public Cdk destroy(CdkId id) {
            calls.incrementAndGet();
            return delegate.destroy(id);
        }

        @Override
        public void recordCheckValue(CdkId id, dev.dataenc.cdk.CdkCheckValue checkValue) {
            calls.incrementAndGet();
            delegate.recordCheckValue(id, checkValue);
        }
    }
}
