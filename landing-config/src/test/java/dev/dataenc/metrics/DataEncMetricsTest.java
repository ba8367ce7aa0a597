package dev.dataenc.metrics;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncSettings;
import dev.dataenc.control.ActiveKeystoreHealth;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.CdkUnwrapper;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.local.LocalKeystore;
import dev.dataenc.testing.KeystoreFiles;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dataenc's meters in a real {@link SimpleMeterRegistry}, over a real service (H2 registry, local keystore). */
class DataEncMetricsTest {

    @TempDir
    Path dir;

    /** A configuration with one real {@code local} keystore, 'primary', active (its file created). */
    private DataEncConfig oneLocalKeystore() {
        Map<String, String> ks = Map.of("path", dir.resolve("primary.p12").toString(), "password", "metrics-test-pw",
                "master-key", "mk-metrics");
        KeystoreFiles.provide(KeystoreSettings.of("primary", "local", ks));
        return DataEncSettings.in(dir).cipherType("platform").keystore("primary", "local", ks).activeKeystore("primary")
                .build();
    }

    @Test
    void operationsCacheKeystoreAndCdkAge_areMetered_andHealthFollowsTheMasterKey() throws Exception {
        Map<String, String> ks = Map.of("path", dir.resolve("primary.p12").toString(), "password", "metrics-test-pw",
                "master-key", "mk-metrics");
        KeystoreSettings settings = KeystoreFiles.provide(KeystoreSettings.of("primary", "local", ks));
        DataEncConfig config = DataEncSettings.in(dir).cipherType("platform").keystore("primary", "local", ks)
                .activeKeystore("primary").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        try (DataEncService service = DataEncService.start(config)) {
            new DataEncMetrics(service).bindTo(registry);
            PropertyCipher cipher = service.propertyCipher();
            String a = cipher.encryptString("ada@example.com", "Customer.email");
            cipher.encryptString("bob@example.com", "Customer.email");
            cipher.encryptString("cy@example.com", "Customer.email");
            cipher.decryptString(a, "Customer.email");
            cipher.decryptString(a, "Customer.email");
            assertThrows(DecryptionFailedException.class, () -> cipher.decryptString(a, "Customer.phone"));
            BlobCipher blobs = service.blobCipher();
            blobs.encrypt(new ByteArrayInputStream(new byte[10_000]), new ByteArrayOutputStream(), "Doc.body");

            assertEquals(3, timer(registry, "dataenc.operations", "cipher", "property", "encrypt", "success").count());
            assertEquals(2, timer(registry, "dataenc.operations", "cipher", "property", "decrypt", "success").count());
            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "property", "decrypt", "failure").count());
            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "blob", "encrypt", "success").count());
            assertEquals(0, timer(registry, "dataenc.operations", "cipher", "blob", "decrypt", "success").count());
            assertTrue(timer(registry, "dataenc.operations", "cipher", "blob", "encrypt", "success")
                    .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0, "BLOB operations are always timed");
            // property operations are timed one in PropertyCipher.TIMING_SAMPLE; after 2,000 more the chance that
            // none was timed is (31/32)^2000, below 1e-27
            for (int i = 0; i < 2_000; i++) {
                cipher.encrypt(new byte[16], "Customer.email");
            }
            assertEquals(2_003, timer(registry, "dataenc.operations", "cipher", "property", "encrypt", "success").count());
            assertTrue(timer(registry, "dataenc.operations", "cipher", "property", "encrypt", "success")
                    .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
            assertEquals(1, registry.get("dataenc.failures").tag("type", "DecryptionFailedException")
                    .functionCounter().count());
            assertTrue(counter(registry, "dataenc.cache.requests", "result", "hit") >= 6, "every operation after the first load hits");
            assertTrue(counter(registry, "dataenc.cache.requests", "result", "miss") >= 1);
            assertTrue(timer(registry, "dataenc.keystore.calls", "keystore", "primary", "unwrap", "success").count() >= 1);
            assertEquals(1, registry.get("dataenc.cache.size").gauge().value());
            double age = registry.get("dataenc.cdk.active.age").gauge().value();
            assertTrue(age >= 0 && age < Duration.ofDays(1).toSeconds(), "age " + age);
            assertEquals(Duration.ofDays(90).toSeconds(), registry.get("dataenc.cdk.active.max.age").gauge().value());
            assertEquals(new ActiveKeystoreHealth(true, "primary", MasterKeyState.ENABLED, ""),
                    ActiveKeystoreHealth.of(service.controlPlane()));

            try (LocalKeystore admin = LocalKeystore.open(settings)) {
                admin.disableMasterKey(); // as "dataenc keystore disable primary" would
            }
            ActiveKeystoreHealth down = ActiveKeystoreHealth.of(service.controlPlane());
            assertFalse(down.up());
            assertEquals(MasterKeyState.DISABLED, down.state());

            // a cache miss now needs the keystore, which refuses: counted as a keystore error of 'primary'
            Cdk active = service.controlPlane().registry().findActive().orElseThrow();
            try (LocalKeystore disabled = LocalKeystore.open(settings)) {
                assertThrows(CdkUnavailableException.class, () -> new CdkUnwrapper(List.of(disabled),
                        service.controlPlane().operationStats()).unwrap(active));
            }
            assertEquals(1, timer(registry, "dataenc.keystore.calls", "keystore", "primary", "unwrap", "failure").count());
        }
    }

    @Test
    void keystoreGenerateWrapAndUnwrap_ofRotationsAndSwitches_areMetered() throws Exception {
        Map<String, String> a = Map.of("path", dir.resolve("a.p12").toString(), "password", "metrics-test-pw",
                "master-key", "mk-a");
        Map<String, String> b = Map.of("path", dir.resolve("b.p12").toString(), "password", "metrics-test-pw",
                "master-key", "mk-b");
        KeystoreFiles.provide(KeystoreSettings.of("a", "local", a));
        KeystoreFiles.provide(KeystoreSettings.of("b", "local", b));
        DataEncConfig config = DataEncSettings.in(dir).cipherType("platform").keystore("a", "local", a)
                .keystore("b", "local", b).activeKeystore("a").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DataEncService service = DataEncService.start(config)) {
            new DataEncMetrics(service).bindTo(registry);
            assertEquals(1, timer(registry, "dataenc.keystore.calls", "keystore", "a", "generate", "success").count(),
                    "the first CDK, generated at start");
            service.controlPlane().rotateCdk("metrics test");
            assertEquals(2, timer(registry, "dataenc.keystore.calls", "keystore", "a", "generate", "success").count());

            service.controlPlane().switchKeystore("b"); // a new CDK under b, the two under a re-wrapped under b
            assertEquals(1, timer(registry, "dataenc.keystore.calls", "keystore", "b", "generate", "success").count());
            assertEquals(2, timer(registry, "dataenc.keystore.calls", "keystore", "b", "wrap", "success").count());
            assertTrue(timer(registry, "dataenc.keystore.calls", "keystore", "a", "unwrap", "success").count() >= 2,
                    "the re-wrap unwrapped both CDKs under a");
            assertTrue(timer(registry, "dataenc.keystore.calls", "keystore", "b", "wrap", "success")
                    .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
        }
    }

    @Test
    void blobStreams_areMeteredOnceWhenTheyEnd_byHowTheyEnded() throws Exception {
        DataEncConfig config = oneLocalKeystore();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DataEncService service = DataEncService.start(config)) {
            new DataEncMetrics(service).bindTo(registry);
            BlobCipher blobs = service.blobCipher();
            byte[] plaintext = new byte[200_000]; // four segments
            ByteArrayOutputStream ct = new ByteArrayOutputStream();
            try (OutputStream enc = blobs.encryptingStream(ct, "Doc.body")) {
                enc.write(plaintext);
                assertEquals(0, timer(registry, "dataenc.operations", "cipher", "blob", "encrypt-stream", "success")
                        .count(), "not before the stream ends");
            }
            byte[] ciphertext = ct.toByteArray();

            try (InputStream dec = blobs.decryptingStream(new ByteArrayInputStream(ciphertext), "Doc.body")) {
                assertEquals(plaintext.length, dec.readAllBytes().length);
            }
            try (InputStream dec = blobs.decryptingStream(new ByteArrayInputStream(ciphertext), "Doc.body")) {
                assertEquals(1000, dec.readNBytes(1000).length); // the caller stops reading
            }
            byte[] tampered = ciphertext.clone();
            tampered[tampered.length - 1] ^= 1;
            try (InputStream dec = blobs.decryptingStream(new ByteArrayInputStream(tampered), "Doc.body")) {
                assertThrows(DecryptionFailedException.class, dec::readAllBytes);
                assertThrows(DecryptionFailedException.class, dec::read, "a failed stream keeps failing");
            }
            ByteArrayOutputStream refusing = new ByteArrayOutputStream() {
                @Override
                public void write(byte[] b, int off, int len) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
                }
            };
            OutputStream broken = blobs.encryptingStream(refusing, "Doc.body");
            assertThrows(java.io.UncheckedIOException.class, () -> broken.write(plaintext));
            broken.close();

            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "blob", "encrypt-stream", "success").count());
            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "blob", "encrypt-stream", "failure").count());
            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "blob", "decrypt-stream", "success").count());
            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "blob", "decrypt-stream", "failure").count());
            assertEquals(1, timer(registry, "dataenc.operations", "cipher", "blob", "decrypt-stream-closed-early",
                    "success").count());
            assertTrue(timer(registry, "dataenc.operations", "cipher", "blob", "decrypt-stream", "success")
                    .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
            assertEquals(0, timer(registry, "dataenc.operations", "cipher", "blob", "encrypt", "success").count(),
                    "streams are not counted as whole-BLOB operations");
            assertEquals(1, registry.get("dataenc.failures").tag("type", "DecryptionFailedException")
                    .functionCounter().count(), "the failed stream's failure is counted once");
        }
    }

    @Test
    void activeAge_boundWithoutKeepingTheMetrics_survivesGarbageCollection() throws Exception {
        DataEncConfig config = oneLocalKeystore();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DataEncService service = DataEncService.start(config)) {
            new DataEncMetrics(service).bindTo(registry); // as the README writes it: no reference kept
            assertFalse(Double.isNaN(registry.get("dataenc.cdk.active.age").gauge().value()));
            // a collection that clears weak references has run once this sentinel is gone
            java.lang.ref.WeakReference<Object> sentinel = new java.lang.ref.WeakReference<>(new Object());
            for (int i = 0; i < 50 && sentinel.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(sentinel.get() == null, "no collection cleared weak references");
            // before: NaN, the gauge's DataEncMetrics was held only weakly by Micrometer and had been collected
            double age = registry.get("dataenc.cdk.active.age").gauge().value();
            assertTrue(age >= 0 && age < 600, "age " + age);
        }
    }

    @Test
    void activeAge_afterTheServiceClosed_isNaNWithoutTouchingTheRegistry() {
        DataEncConfig config = oneLocalKeystore();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(); // the application's: it outlives the service
        DataEncMetrics metrics;
        try (DataEncService service = DataEncService.start(config)) {
            metrics = new DataEncMetrics(service);
            metrics.bindTo(registry);
            double age = metrics.activeAgeSeconds();
            assertTrue(age >= 0 && age < 600, "age " + age);
        }
        // before: a registry query on a closed pool, RegistryException (Micrometer logged it with a stack trace)
        assertTrue(Double.isNaN(metrics.activeAgeSeconds()));
        assertTrue(Double.isNaN(registry.get("dataenc.cdk.active.age").gauge().value()));
    }

    private static FunctionTimer timer(SimpleMeterRegistry r, String name, String subjectTag, String subject,
                                       String operation, String outcome) {
        return r.get(name).tag(subjectTag, subject).tag("operation", operation).tag("outcome", outcome).functionTimer();
    }

    private static double counter(SimpleMeterRegistry r, String name, String tag, String value) {
        FunctionCounter c = r.get(name).tag(tag, value).functionCounter();
        return c.count();
    }
}
