package dev.dataenc.bench;

import dev.dataenc.cdk.CdkGenerator;
import dev.dataenc.cdk.InMemoryCdkRegistry;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.CdkCache;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real key plumbing the benchmarks run on: a {@code local} keystore in a temporary PKCS#12
 * file, an in-memory CDK registry with one ACTIVE CDK, and a warm {@link CdkCache}.
 */
final class BenchKeys implements AutoCloseable {

    final Keystore keystore;
    final CdkCache cache;
    private final Path dir;

    BenchKeys() {
        try {
            dir = Files.createTempDirectory("dataenc-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeystoreSettings settings = KeystoreSettings.of("bench", "local",
                Map.of("path", dir.resolve("bench.p12").toString(), "password", "bench-only-password"));
        Keystores.createMasterKey(settings); // opening never creates a master key
        keystore = Keystores.create(settings);
        InMemoryCdkRegistry registry = new InMemoryCdkRegistry();
        new CdkGenerator(registry).generateActive(keystore);
        cache = new CdkCache(registry, List.of(keystore), CacheLimits.defaults());
        cache.activeKey();
    }

    @Override
    public void close() throws IOException {
        cache.close();
        keystore.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
