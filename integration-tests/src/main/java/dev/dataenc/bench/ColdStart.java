package dev.dataenc.bench;

import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncService;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold start (a program, not a test): the time from {@link DataEncService#start} to the first
 * encryption, in a fresh JVM, with a real {@code local} keystore and an H2 or PostgreSQL registry.
 * The keystore file and the configuration are written before the clock starts (creating a master key
 * is an admin step, not part of an application's start).
 *
 * <pre>
 * ColdStart h2 DIR [profile]                         # registry in DIR (new on the first run, reused after)
 * ColdStart postgres DIR jdbc:postgresql://host:port/ user [profile]
 * </pre>
 * Prints one line: start, first encryption, total (ms). With {@code profile}, the main thread is sampled
 * every millisecond during start and the top dataenc frames are printed (where the time goes).
 * {@code bench/run-coldstart.sh} builds it and runs it several times per database, each in a new JVM.
 */
public final class ColdStart {

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path dir = Path.of(args[1]);
        boolean profile = args[args.length - 1].equals("profile");
        Files.createDirectories(dir);
        boolean first = !Files.exists(dir.resolve("dataenc.properties"));
        ServiceKeys files;
        if (kind.equals("postgres")) {
            String base = args[2].endsWith("/") ? args[2] : args[2] + "/";
            String user = args[3];
            String db = "dataenc_coldstart_" + Integer.toHexString(dir.toString().hashCode());
            if (first) {
                try (Connection c = DriverManager.getConnection(base + "postgres", user, "");
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db);
                    s.execute("CREATE DATABASE " + db);
                }
            }
            files = ServiceKeys.in(dir, base + db, user);
        } else {
            files = ServiceKeys.in(dir, null, null);
        }
        Sampler sampler = profile ? Sampler.start(Thread.currentThread()) : null;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        DataEncService service = files.start();
        long t1 = System.nanoTime();
        PropertyCipher cipher = service.propertyCipher();
        String ct = cipher.encryptString("ada@example.com", "Customer.email");
        long t2 = System.nanoTime();
        long c2 = os.getProcessCpuTime();
        if (sampler != null) {
            sampler.stop();
        }
        if (!"ada@example.com".equals(cipher.decryptString(ct, "Customer.email"))) {
            throw new IllegalStateException("round trip failed");
        }
        service.close();
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.printf("%s %s: start %.0f ms, first encryption %.1f ms, start to first encryption %.0f ms"
                        + " wall, %.0f ms process CPU (all threads; JVM up %d ms at the end)%n", kind,
                first ? "first start (new registry)" : "restart", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6,
                (c2 - c0) / 1e6, jvm);
        if (sampler != null) {
            sampler.print();
        }
    }

    /** Samples one thread's stack every millisecond and counts the innermost dataenc frames. */
    private static final class Sampler implements Runnable {
        private final Thread target;
        private final Map<String, Integer> counts = new HashMap<>();
        private volatile boolean running = true;
        private final Thread thread;
        private int samples;

        private Sampler(Thread target) {
            this.target = target;
            this.thread = new Thread(this, "cold-start-sampler");
            thread.setDaemon(true);
        }

        static Sampler start(Thread target) {
            Sampler s = new Sampler(target);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (running) {
                StackTraceElement[] stack = target.getStackTrace();
                List<String> path = new ArrayList<>();
                for (StackTraceElement e : stack) {
                    if (e.getClassName().startsWith("dev.dataenc.") && !e.getClassName().startsWith("dev.dataenc.bench.")) {
                        path.add(e.getClassName().substring(12) + "." + e.getMethodName() + ":" + e.getLineNumber());
                        if (path.size() == 3) {
                            break;
                        }
                    }
                }
                if (!path.isEmpty()) {
                    synchronized (counts) {
                        counts.merge(String.join(" < ", path), 1, Integer::sum);
                        samples++;
                    }
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        void print() {
            System.out.printf("  %d samples (1 ms) in dataenc code; top innermost dataenc frames:%n", samples);
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                    .limit(25).forEach(e -> System.out.printf("  %5d  %s%n", e.getValue(), e.getKey()));
        }
    }
}
