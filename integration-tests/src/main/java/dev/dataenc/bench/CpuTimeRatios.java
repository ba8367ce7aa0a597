package dev.dataenc.bench;

import dev.dataenc.keystore.DataKey;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link ServiceBenchmark} operations measured by CPU time instead of wall time (a program, not a
 * test): on a machine shared with other builds, wall-clock throughput mostly measures the scheduler,
 * while the CPU time a thread spends per operation stays close to what it costs. The implementations
 * run in interleaved batches (dataenc, jce, tink, dataenc, ...) so drift hits all of them alike; the
 * first rounds are warm-up. With T threads, each runs its own batch on its own benchmark state (one
 * shared {@link dev.dataenc.inject.DataEncService}) and the CPU times are summed.
 *
 * <pre>CpuTimeRatios [rounds] [batch-ms]
 * CpuTimeRatios blob [rounds] [size]     # BLOBs of size bytes (default 64 MiB)
 * CpuTimeRatios keys [n] [rounds]        # 64-byte decryptions cycling through n CDKs
 * CpuTimeRatios cold enc|dec [size] [n]  # a new JVM's first n half seconds of BLOBs (JIT warm-up)</pre>
 * {@code -Ddataenc.bench.only=decrypt:64:1} limits the first form to one operation, size and thread count.
 * Ratio = baseline CPU ns per op / dataenc CPU ns per op (above 1: dataenc is cheaper). The fourth
 * implementation, {@code jceformat}, is raw JCE doing the format's crypto work (its 33-byte AAD and output
 * layout), so "vs jcefmt" is what dataenc's own code costs apart from what the format asks of AES-GCM.
 * Contention that blocks a thread (locks) would not show as CPU time; dataenc's hot path takes no
 * shared lock (only the calling thread's own cipher's monitor), so that is not hidden here.
 */
public final class CpuTimeRatios {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final String[] IMPLS = {"dataenc", "jce", "tink", "jceformat"};
    private static volatile long sink;

    private CpuTimeRatios() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("keys")) {
            alternatingKeys(args.length > 1 ? Integer.parseInt(args[1]) : 2, args.length > 2 ? Integer.parseInt(args[2]) : 12);
            return;
        }
        if (args.length > 0 && args[0].equals("cold")) {
            cold(args.length > 1 ? args[1] : "dec", args.length > 2 ? Integer.parseInt(args[2]) : 64 * 1024,
                    args.length > 3 ? Integer.parseInt(args[3]) : 8);
            return;
        }
        if (args.length > 0 && args[0].equals("blob")) {
            blobs(args.length > 1 ? Integer.parseInt(args[1]) : 12, args.length > 2 ? Integer.parseInt(args[2]) : 64 << 20);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int warmup = Math.max(1, rounds / 4);
        long batchNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
        int cores = Runtime.getRuntime().availableProcessors();
        ServiceState service = new ServiceState();
        service.start();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        System.out.printf("CPU time per operation, %d rounds (%d warm-up) of ~%d ms batches, %s, %d cores%n", rounds,
                warmup, batchNanos / 1_000_000, System.getProperty("java.vm.version"), cores);
        System.out.printf("%-8s%7s%4s %12s %12s %12s %12s %8s %8s %10s%n", "op", "size", "thr", "dataenc ns", "jce ns",
                "tink ns", "jcefmt ns", "vs jce", "vs tink", "vs jcefmt");
        try {
            warmUp(pool, service, warmup, batchNanos);
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                for (int size : new int[] {64, 1024}) {
                    List<ServiceBenchmark> states = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        ServiceBenchmark b = new ServiceBenchmark();
                        b.size = size;
                        b.setUp(service);
                        states.add(b);
                    }
                    for (String op : new String[] {"encrypt", "decrypt"}) {
                        if (!selected(op, size, threads)) {
                            continue;
                        }
                        double[] nsPerOp = measure(pool, states, op, rounds, warmup, batchNanos);
                        System.out.printf("%-8s%7d%4d %12.0f %12.0f %12.0f %12.0f %7.2fx %7.2fx %9.2fx%n", op, size,
                                threads, nsPerOp[0], nsPerOp[1], nsPerOp[2], nsPerOp[3], nsPerOp[1] / nsPerOp[0],
                                nsPerOp[2] / nsPerOp[0], nsPerOp[3] / nsPerOp[0]);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            service.stop();
        }
    }

    /**
     * Whether {@code -Ddataenc.bench.only=op:size:threads} (each part a value or {@code *}; unset: everything) selects
     * this combination, e.g. {@code decrypt:64:1} to spend a whole run on the one figure being worked on.
     */
    private static boolean selected(String op, int size, int threads) {
        String only = System.getProperty("dataenc.bench.only");
        if (only == null || only.isBlank()) {
            return true;
        }
        String[] want = only.split(":", -1);
        String[] have = {op, Integer.toString(size), Integer.toString(threads)};
        for (int i = 0; i < Math.min(want.length, have.length); i++) {
            if (!want[i].equals("*") && !want[i].equals(have[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@link BlobBenchmark} operations (64 MiB) by CPU time, interleaved: dataenc and each JCE baseline,
     * one operation each per round; the first quarter of the rounds is warm-up. One-message JCE decryption
     * (seconds per operation on JDK 17) is measured twice only.
     */
    /**
     * A new JVM's first seconds of BLOBs: CPU ns per {@code size}-byte BLOB encryption ({@code enc}) or decryption
     * ({@code dec}) on this thread, per half second from the start, {@code halves} of them. Run it as the JVM's only
     * work ({@code CpuTimeRatios cold dec 65536 8}); it shows how soon the JIT's AES-GCM code is in.
     */
    private static void cold(String op, int size, int halves) throws Exception {
        BlobBenchmark b = new BlobBenchmark();
        b.size = size;
        b.setUp();
        System.out.printf("%d-byte BLOB %s, CPU ns per BLOB per half second from the JVM's start, %s%n", size,
                op.equals("enc") ? "encryption" : "decryption", System.getProperty("java.vm.version"));
        try {
            for (int half = 0; half < halves; half++) {
                long cpu = MX.getCurrentThreadCpuTime();
                long until = System.nanoTime() + 500_000_000L;
                int n = 0;
                while (System.nanoTime() < until) {
                    sink += op.equals("enc") ? b.encrypt_dataenc() : b.decrypt_dataenc();
                    n++;
                }
                System.out.printf("%.1f-%.1f s: %,d ns (%d BLOBs)%n", half / 2.0, (half + 1) / 2.0,
                        (MX.getCurrentThreadCpuTime() - cpu) / n, n);
            }
        } finally {
            b.tearDown();
        }
    }

    private static void blobs(int rounds, int size) throws Exception {
        BlobBenchmark b = new BlobBenchmark();
        b.size = size;
        b.setUp();
        int reps = (int) Math.max(1, (64L << 20) / size); // about 64 MiB of work per measurement, whatever the size
        Map<String, List<String>> impls = new LinkedHashMap<>();
        impls.put("encrypt", List.of("dataenc", "jce", "jcesegments", "jcearray"));
        impls.put("decrypt", List.of("dataenc", "jcesegments", "jcesegmentsarray", "jce"));
        System.out.printf("%d-byte BLOB, CPU time per operation (%d per measurement), best of %d rounds after %d"
                + " warm-up, %s%n", size, reps, rounds - rounds / 4, rounds / 4, System.getProperty("java.vm.version"));
        System.out.printf("%-8s %-17s %9s %12s %13s%n", "op", "impl", "MB/s", "ns/op", "dataenc/this");
        try {
            for (Map.Entry<String, List<String>> e : impls.entrySet()) {
                String op = e.getKey();
                List<String> names = e.getValue();
                long[] cpu = new long[names.size()];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < names.size(); k++) {
                        int i = (k + r) % names.size();
                        boolean slow = op.equals("decrypt") && names.get(i).equals("jce") && size > (1 << 20);
                        if (slow && r > 1) {
                            continue;
                        }
                        long t0 = MX.getCurrentThreadCpuTime();
                        for (int k2 = 0; k2 < reps; k2++) {
                            sink += blobOp(b, op + "_" + names.get(i));
                        }
                        long spent = (MX.getCurrentThreadCpuTime() - t0) / reps;
                        if (r >= rounds / 4 || (slow && r == 1)) {
                            cpu[i] = cpu[i] == 0 ? spent : Math.min(cpu[i], spent); // best of the rounds
                        }
                    }
                }
                for (int i = 0; i < names.size(); i++) {
                    double mbs = b.size / 1e6 / (cpu[i] / 1e9);
                    String ratio = i == 0 ? "" : String.format("%12.2fx", (double) cpu[i] / cpu[0]);
                    System.out.printf("%-8s %-17s %9.0f %12d %13s%n", op, names.get(i), mbs, cpu[i], ratio);
                }
            }
        } finally {
            b.tearDown();
        }
    }

    /**
     * 64-byte decryptions whose key changes every message, cycling through {@code keys} CDKs (rows written before and
     * after rotations, read in any order): dataenc's {@link dev.dataenc.envelope.AesGcm} with {@link DataKey}s and the
     * format's 33-byte AAD, beside raw JCE with one {@code Cipher} re-initialised for each message's key (what a
     * single cached cipher does) and raw JCE with one {@code Cipher} per key. CPU ns per op, best of the rounds.
     */
    private static void alternatingKeys(int keys, int rounds) throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        DataKey[] dataKeys = new DataKey[keys];
        javax.crypto.spec.SecretKeySpec[] specs = new javax.crypto.spec.SecretKeySpec[keys];
        javax.crypto.Cipher[] perKey = new javax.crypto.Cipher[keys];
        byte[][] ivs = new byte[keys][12];
        byte[][] cts = new byte[keys][];
        byte[] aad = new byte[33];
        byte[] plain = new byte[64];
        random.nextBytes(aad);
        random.nextBytes(plain);
        for (int k = 0; k < keys; k++) {
            dataKeys[k] = DataKey.generate(dev.dataenc.cdk.CdkId.random());
            byte[] raw = dataKeys[k].getEncoded();
            specs[k] = new javax.crypto.spec.SecretKeySpec(raw, "AES");
            DataKey.zeroize(raw);
            random.nextBytes(ivs[k]);
            cts[k] = new byte[64 + 16];
            dev.dataenc.envelope.AesGcm.encrypt(dataKeys[k], ivs[k], 0, aad, 0, aad.length, null, plain, 0, 64, cts[k], 0);
            perKey[k] = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        }
        javax.crypto.Cipher one = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        String[] names = {"dataenc", "jce-one-cipher", "jce-cipher-per-key"};
        long[] best = new long[names.length];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        byte[] out = new byte[64];
        int n = 100_000;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.length; i++) {
                long t0 = MX.getCurrentThreadCpuTime();
                for (int j = 0; j < n; j++) {
                    int k = j % keys;
                    if (i == 0) {
                        sink += dev.dataenc.envelope.AesGcm.decrypt(dataKeys[k], ivs[k], 0, aad, 0, aad.length, null,
                                cts[k], 0, cts[k].length, out, 0);
                    } else {
                        javax.crypto.Cipher c = i == 1 ? one : perKey[k];
                        c.init(javax.crypto.Cipher.DECRYPT_MODE, specs[k], new javax.crypto.spec.GCMParameterSpec(128, ivs[k]));
                        c.updateAAD(aad);
                        sink += c.doFinal(cts[k], 0, cts[k].length, out, 0);
                    }
                }
                long perOp = (MX.getCurrentThreadCpuTime() - t0) / n;
                if (r >= rounds / 4) {
                    best[i] = Math.min(best[i], perOp);
                }
            }
        }
        System.out.printf("64-byte decryption cycling through %d keys, CPU ns per op, best of %d rounds, %s%n", keys,
                rounds - rounds / 4, System.getProperty("java.vm.version"));
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-20s %8d ns%s%n", names[i], best[i],
                    i == 0 ? "" : String.format("   dataenc/this %.2fx", (double) best[i] / best[0]));
        }
        for (DataKey k : dataKeys) {
            k.destroy();
        }
    }

    private static long blobOp(BlobBenchmark b, String name) throws Exception {
        return switch (name) {
            case "encrypt_dataenc" -> b.encrypt_dataenc();
            case "decrypt_dataenc" -> b.decrypt_dataenc();
            case "encrypt_jce" -> b.encrypt_jce();
            case "decrypt_jce" -> b.decrypt_jce();
            case "encrypt_jcesegments" -> b.encrypt_jcesegments();
            case "decrypt_jcesegments" -> b.decrypt_jcesegments();
            case "encrypt_jcearray" -> b.encrypt_jcearray();
            case "decrypt_jcesegmentsarray" -> b.decrypt_jcesegmentsarray();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Runs every operation of every implementation a while first, so the JIT has compiled them all. */
    private static void warmUp(ExecutorService pool, ServiceState service, int rounds, long batchNanos) throws Exception {
        for (int size : new int[] {64, 1024}) {
            ServiceBenchmark b = new ServiceBenchmark();
            b.size = size;
            b.setUp(service);
            for (String op : new String[] {"encrypt", "decrypt"}) {
                measure(pool, List.of(b), op, rounds + 1, rounds, batchNanos);
            }
        }
    }

    /** CPU ns per operation of each implementation, over the rounds after the warm-up. */
    private static double[] measure(ExecutorService pool, List<ServiceBenchmark> states, String op, int rounds,
                                     int warmup, long batchNanos) throws Exception {
        long[] ops = new long[IMPLS.length];
        long[] cpu = new long[IMPLS.length];
        int[] batch = new int[IMPLS.length];
        java.util.Arrays.fill(batch, 1000);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < IMPLS.length; k++) {
                int i = (k + r) % IMPLS.length; // rotate the order every round
                String impl = IMPLS[i];
                int n = batch[i];
                List<Future<Long>> parts = new ArrayList<>();
                for (ServiceBenchmark b : states) {
                    parts.add(pool.submit(() -> run(b, op, impl, n)));
                }
                long spent = 0;
                for (Future<Long> f : parts) {
                    spent += f.get();
                }
                long perThread = spent / states.size();
                batch[i] = (int) Math.max(1000, Math.min(50_000_000L, n * (double) batchNanos / Math.max(1, perThread)));
                if (r >= warmup) {
                    ops[i] += (long) n * states.size();
                    cpu[i] += spent;
                }
            }
        }
        double[] result = new double[IMPLS.length];
        for (int i = 0; i < IMPLS.length; i++) {
            result[i] = cpu[i] / (double) ops[i];
        }
        return result;
    }

    /** Runs {@code n} operations and returns the CPU nanoseconds this thread spent on them. */
    private static long run(ServiceBenchmark b, String op, String impl, int n) throws Exception {
        Op call = switch (op + "_" + impl) {
            case "encrypt_dataenc" -> b::encrypt_dataenc;
            case "decrypt_dataenc" -> b::decrypt_dataenc;
            case "encrypt_jce" -> b::encrypt_jce;
            case "decrypt_jce" -> b::decrypt_jce;
            case "encrypt_tink" -> b::encrypt_tink;
            case "decrypt_tink" -> b::decrypt_tink;
            case "encrypt_jceformat" -> b::encrypt_jceformat;
            case "decrypt_jceformat" -> b::decrypt_jceformat;
            default -> throw new IllegalArgumentException(op + "_" + impl);
        };
        long s = 0;
        long t0 = MX.getCurrentThreadCpuTime();
        for (int j = 0; j < n; j++) {
            byte[] r = call.run();
            s += r[r.length - 1];
        }
        long spent = MX.getCurrentThreadCpuTime() - t0;
        sink += s;
        return spent;
    }

    @FunctionalInterface
    private interface Op {
        byte[] run() throws Exception;
    }
}
