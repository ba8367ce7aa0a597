package dev.dataenc.bench;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncSettings;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.local.LocalKeystore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Start-up time of {@link DataEncService} in a fresh JVM, as a host sees it (bench/run-startup.sh runs it):
 * the first start on a new embedded H2 registry (schema migration, first CDK, opening the local keystore), then a
 * restart in the same JVM on the existing registry. Prints one line per measurement; the keystore file is created
 * before timing starts.
 */
public final class StartupMain {

    private StartupMain() {
    }

    public static void main(String[] args) throws Exception {
        long jvmToMain = ManagementFactory.getRuntimeMXBean().getUptime();
        Path dir = Files.createTempDirectory("dataenc-startup");
        Map<String, String> ks = Map.of("path", dir.resolve("primary.p12").toString(), "password", "startup-bench-pw");
        LocalKeystore.createMasterKey(KeystoreSettings.of("primary", "local", ks));
        DataEncConfig config = DataEncSettings.in(dir).cipherType("platform").keystore("primary", "local", ks)
                .activeKeystore("primary").build();

        long t0 = System.nanoTime();
        try (DataEncService s = DataEncService.start(config)) {
            long first = System.nanoTime() - t0;
            String c = s.propertyCipher().encryptString("x", "Startup.x");
            long firstEncrypt = System.nanoTime() - t0 - first;
            System.out.printf("first start (new H2 registry: migrate + first CDK): %d ms; first encryption after it: %.1f ms%n",
                    first / 1_000_000, firstEncrypt / 1e6);
            if (c.isEmpty()) {
                throw new IllegalStateException();
            }
        }
        long t1 = System.nanoTime();
        try (DataEncService s = DataEncService.start(config)) {
            System.out.printf("restart (existing registry): %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        }
        System.out.printf("JVM start to main: %d ms%n", jvmToMain);
    }
}
