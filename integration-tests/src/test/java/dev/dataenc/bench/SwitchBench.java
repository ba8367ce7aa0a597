package dev.dataenc.bench;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.kms.testing.KmsTestServer;
import dev.dataenc.registry.RegistryDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "switch at scale" benchmark (a program, not a test): seeds N CDKs under a {@code local} keystore straight
 * into the H2 registry (the registry's own {@code activate}, 500 per transaction: no N rotations), then times the
 * keystore switch that re-wraps all of them under the target and prints CDKs/s. Cases:
 * <ul>
 *   <li>{@code local}: to another {@code local} keystore (in process; re-wrap concurrency 1);</li>
 *   <li>{@code kms-seq}: to {@code aws-kms} on the project's {@link KmsTestServer} with the injected latency per
 *       request, {@code rewrap-concurrency=1} (one CDK after the other);</li>
 *   <li>{@code kms}: the same with the default {@code rewrap-concurrency} (or {@code kms:N} for N).</li>
 * </ul>
 * Each case checks afterwards that every CDK has exactly one wrapping under the target. Besides CDKs/s it prints
 * the process's CPU time per CDK (switch, workers, H2 and the in-process test server together): on a machine
 * shared with other work the concurrent rate is bound by the CPU it gets, the sequential one by the latency.
 *
 * <pre>
 * SwitchBench [cdks] [latency-ms] [case...]      e.g. SwitchBench 10000 20 local kms-seq kms kms:32
 * </pre>
 * {@code bench/run-switch.sh} builds and runs it. Lives in the test tree because the KMS test server is in
 * kms-keystore's test-jar.
 */
public final class SwitchBench {

    private static final int SEED_BATCH = 500;

    private SwitchBench() {
    }

    public static void main(String[] args) throws Exception {
        int cdks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> cases = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("local", "kms-seq", "kms");
        System.out.printf("switch benchmark: %,d CDKs seeded under 'local', KMS test server latency %d ms per request,"
                + " %d cores, %s%n", cdks, latencyMs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        System.out.printf("%-10s %12s %8s %10s %10s %11s  %s%n", "case", "concurrency", "CDKs", "seconds", "CDKs/s",
                "CPU ms/CDK", "KMS requests (peak in flight)");
        for (String c : cases) {
            run(c, cdks, latencyMs);
        }
    }

    private static void run(String name, int cdks, int latencyMs) throws Exception {
        Path dir = Files.createTempDirectory("dataenc-switch-bench");
        KeystoreSettings source = local(dir, "a");
        try (KmsTestServer server = KmsTestServer.start()) {
            KeystoreSettings target;
            if (name.equals("local")) {
                target = local(dir, "b");
            } else {
                Map<String, String> s = server.keystoreSettings(server.createKey().keyId());
                if (name.equals("kms-seq")) {
                    s.put("rewrap-concurrency", "1");
                } else if (name.startsWith("kms:")) {
                    s.put("rewrap-concurrency", name.substring(4));
                } else if (!name.equals("kms")) {
                    throw new IllegalArgumentException("unknown case '" + name + "': local, kms-seq, kms or kms:N");
                }
                target = KeystoreSettings.of("b", "aws-kms", s);
            }
            Map<String, KeystoreSettings> keystores = new LinkedHashMap<>();
            keystores.put("a", source);
            keystores.put("b", target);
            DataEncConfig config = new DataEncConfig(null, CipherType.ofKeystoreType("local"), "a", keystores,
                    new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", ""), CacheLimits.defaults(),
                    RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(60));
            try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.admin("bench"))) {
                seed(plane, cdks);
                int concurrency = plane.keystores().get("b").map(Keystore::rewrapConcurrency).orElseThrow();
                server.latency(Duration.ofMillis(latencyMs));
                server.resetCounts();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                SwitchOutcome outcome = plane.switchKeystore("b");
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpuMsPerCdk = (processCpuNanos() - cpu0) / 1e6 / Math.max(1, outcome.rewrapped());
                String calls = name.equals("local") ? "-" : server.callCounts() + " (" + server.peakInFlight() + ")";
                check(plane, cdks + 1);
                System.out.printf("%-10s %12d %,8d %10.1f %,10.0f %11.2f  %s%n", name, concurrency, outcome.rewrapped(),
                        secs, outcome.rewrapped() / secs, cpuMsPerCdk, calls);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** N CDKs under keystore 'a', each ACTIVE in turn (the last stays ACTIVE), written in transactions of 500. */
    private static void seed(ControlPlane plane, int cdks) {
        long t0 = System.nanoTime();
        Keystore a = plane.keystores().get("a").orElseThrow();
        CdkId[] active = {plane.registry().findActive().map(Cdk::id).orElse(null)};
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int done = 0; done < cdks; done += SEED_BATCH) {
            List<Cdk> batch = new ArrayList<>();
            for (int i = done; i < Math.min(cdks, done + SEED_BATCH); i++) {
                try (GeneratedDataKey g = a.generateDataKey(CdkId.random())) {
                    batch.add(Cdk.generated(g, now.plusMillis(i)));
                }
            }
            plane.registry().inTransaction("seed " + batch.size() + " CDKs", c -> {
                for (Cdk cdk : batch) {
                    plane.registry().activate(c, cdk, active[0]);
                    active[0] = cdk.id();
                }
                return null;
            });
        }
        System.out.printf("  (seeded %,d CDKs in %.1f s)%n", cdks, (System.nanoTime() - t0) / 1e9);
    }

    private static void check(ControlPlane plane, int expected) {
        List<Cdk> all = plane.registry().list();
        long ok = all.stream().filter(c -> c.wrappings().stream().filter(w -> w.keystoreName().equals("b")).count() == 1)
                .count();
        if (all.size() != expected || ok != expected) {
            throw new IllegalStateException("expected " + expected + " CDKs each with one wrapping under 'b', got "
                    + all.size() + " CDKs of which " + ok + " have one");
        }
    }

    /** CPU time of this process (all threads: the switch, its workers, H2 and the in-process KMS test server). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static KeystoreSettings local(Path dir, String name) {
        KeystoreSettings s = KeystoreSettings.of(name, "local", Map.of("path", dir.resolve(name + ".p12").toString(),
                "password", "bench-only-password", "master-key", "bench-mk-" + name));
        Keystores.createMasterKey(s);
        return s;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
