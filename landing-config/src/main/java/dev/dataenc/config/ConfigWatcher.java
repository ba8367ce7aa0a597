package dev.dataenc.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Watches the configuration file and tells a {@link ConfigListener} when it changed: every
 * interval a stamp of the file is compared with the last one (its
 * modification time, size and identity, so an atomic replace is seen even within the same
 * millisecond); on a change the file is loaded and validated with {@link ConfigLoader} and the
 * listener gets {@link ConfigListener#configChanged} or, when it is invalid or gone,
 * {@link ConfigListener#configRejected}. A change that leaves the configuration equal to the
 * last one delivered (e.g. only comments edited) is not reported.
 *
 * <p>Runs on one daemon thread; {@link #close()} stops it.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Duration interval;
    private final ConfigListener listener;
    private final Function<String, String> env;
    private final StampDetector detector;
    private final Object lock = new Object();
    private ScheduledExecutorService scheduler;
    private DataEncConfig lastDelivered;
    private boolean unreadableReported;
    private boolean closed;

    /**
     * A watcher that looks up environment variables with {@link System#getenv(String)}.
     *
     * @param file     the configuration file
     * @param interval how often to check it (usually {@link DataEncConfig#reloadInterval()}); at least 1 ms
     * @param listener told about changes
     */
    public ConfigWatcher(Path file, Duration interval, ConfigListener listener) {
        this(file, interval, listener, System::getenv);
    }

    /**
     * A watcher with its own environment lookup (for the {@code *-env} keys).
     *
     * @param file     the configuration file
     * @param interval how often to check it; at least 1 ms
     * @param listener told about changes
     * @param env      environment variable lookup
     */
    public ConfigWatcher(Path file, Duration interval, ConfigListener listener, Function<String, String> env) {
        this.file = file.toAbsolutePath();
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, got " + interval);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.env = Objects.requireNonNull(env, "env");
        this.detector = new StampDetector(this.file);
    }

    /**
     * Starts watching. The file as it is now is the baseline: only later changes are reported.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        synchronized (lock) {
            if (closed || scheduler != null) {
                throw new IllegalStateException(closed ? "watcher is closed" : "watcher already started");
            }
            detector.refresh();
            try {
                lastDelivered = ConfigLoader.load(file, env);
            } catch (DataEncConfigException e) {
                lastDelivered = null; // the next valid version will be reported
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dataenc-config-watcher");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
        }
        LOG.info("Watching {} for changes every {}", file, Durations.format(interval));
    }

    /** Checks the file once (the scheduled task). Never throws. */
    void check() {
        try {
            Optional<DataEncConfigException> unreadable = ConfigLoader.checkReadable(file);
            if (unreadable.isPresent()) {
                if (!unreadableReported) {
                    unreadableReported = true;
                    lastDelivered = null;
                    reject(unreadable.get());
                }
                return;
            }
            boolean reappeared = unreadableReported;
            unreadableReported = false;
            if (!detector.isReloadingRequired() && !reappeared) {
                return;
            }
            detector.reloadingPerformed(); // before reading: a write during the read is seen next time
            DataEncConfig config;
            try {
                config = ConfigLoader.load(file, env);
            } catch (DataEncConfigException e) {
                lastDelivered = null;
                reject(e);
                return;
            }
            if (config.equals(lastDelivered)) {
                LOG.debug("{} changed but its configuration did not", file);
                return;
            }
            lastDelivered = config;
            LOG.info("Configuration {} changed; active keystore {} ({})", file, config.activeKeystore(), config.cipherType());
            listener.configChanged(config);
        } catch (RuntimeException | Error e) {
            LOG.error("Configuration watcher for {}: unexpected failure; watching continues", file, e);
        }
    }

    private void reject(DataEncConfigException e) {
        LOG.warn("Configuration {} changed but was rejected; the previous configuration stays in force. {}", file, e.getMessage());
        listener.configRejected(e);
    }

    /** Stops watching; waits briefly for a check in progress. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (lock) {
            closed = true;
            s = scheduler;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A stamp of modification time (full precision), size and file identity instead of the millisecond
     * modification time alone; a change of stamp means the file must be read again.
     */
    private static final class StampDetector {
        private final Path path;
        private long last;

        StampDetector(Path path) {
            this.path = path;
        }

        void refresh() {
            last = stamp();
        }

        boolean isReloadingRequired() {
            long now = stamp();
            return now != 0 && now != last;
        }

        void reloadingPerformed() {
            last = stamp();
        }

        private long stamp() {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                long h = a.lastModifiedTime().to(TimeUnit.NANOSECONDS) * 31 + a.size();
                h = h * 31 + Objects.hashCode(a.fileKey());
                return (h & Long.MAX_VALUE) | 1L; // never 0, which means "no file"
            } catch (IOException e) {
                return 0;
            }
        }
    }
}
