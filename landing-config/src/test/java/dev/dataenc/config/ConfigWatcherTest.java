package dev.dataenc.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigWatcherTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final long TIMEOUT_S = 20;
    private static final Function<String, String> ENV = name -> null;

    @TempDir
    Path dir;

    /** Collects the callbacks in order. */
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ConfigListener listener = new ConfigListener() {
        @Override
        public void configChanged(DataEncConfig config) {
            events.add(config);
        }

        @Override
        public void configRejected(DataEncConfigException problem) {
            events.add(problem);
        }
    };

    private static List<String> config(String active, String cipherType, String cacheMaxAge) {
        return List.of(
                "# watched",
                "dataenc.cipher-type=" + cipherType,
                "dataenc.keystore.active=" + active,
                "dataenc.keystores.primary.type=local",
                "dataenc.keystores.primary.path=primary.p12",
                "dataenc.keystores.site.type=custom",
                "dataenc.keystores.site.class=com.example.Cipher",
                "dataenc.cache.max-age=" + cacheMaxAge);
    }

    private Path file() {
        return dir.resolve("dataenc.properties");
    }

    /**
     * Writes the file as an editor that saves atomically does (temporary file, then rename), so a poll never sees it
     * half written: a plain truncate-and-write let a poll on a loaded machine read a partial file and deliver a
     * spurious configuration error first.
     */
    private void write(List<String> lines) throws IOException {
        Path tmp = dir.resolve("dataenc.properties.tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Object next() throws InterruptedException {
        Object e = events.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertNotNull(e, "no callback within " + TIMEOUT_S + "s");
        return e;
    }

    @Test
    void changedFile_isDeliveredWithNewValues() throws Exception {
        write(config("primary", "platform", "5m"));
        try (ConfigWatcher w = new ConfigWatcher(file(), INTERVAL, listener, ENV)) {
            w.start();
            write(config("site", "custom", "7m"));

            DataEncConfig c = assertInstanceOf(DataEncConfig.class, next());

            assertEquals("site", c.activeKeystore());
            assertEquals(CipherType.CUSTOM, c.cipherType());
            assertEquals(Duration.ofMinutes(7), c.cache().maxAge());
        }
    }

    @Test
    void brokenFile_isRejectedNamingTheKey_thenFixedFileIsDelivered() throws Exception {
        write(config("primary", "platform", "5m"));
        try (ConfigWatcher w = new ConfigWatcher(file(), INTERVAL, listener, ENV)) {
            w.start();
            write(config("primary", "platform", "five minutes"));

            DataEncConfigException e = assertInstanceOf(DataEncConfigException.class, next());
            assertEquals(ConfigLoader.CACHE_MAX_AGE, e.key());
            assertTrue(e.getMessage().contains("five minutes"), e.getMessage());

            write(config("primary", "platform", "6m"));
            DataEncConfig c = assertInstanceOf(DataEncConfig.class, next());
            assertEquals(Duration.ofMinutes(6), c.cache().maxAge());
        }
    }

    @Test
    void deletedFile_isRejectedOnce_andRecreatedFileIsDelivered() throws Exception {
        write(config("primary", "platform", "5m"));
        try (ConfigWatcher w = new ConfigWatcher(file(), INTERVAL, listener, ENV)) {
            w.start();
            Files.delete(file());

            DataEncConfigException e = assertInstanceOf(DataEncConfigException.class, next());
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

            write(config("site", "custom", "5m"));
            DataEncConfig c = assertInstanceOf(DataEncConfig.class, next());
            assertEquals("site", c.activeKeystore());
        }
    }

    @Test
    void activeKeystoreRewrittenByConfigFile_isDelivered() throws Exception {
        write(config("primary", "platform", "5m"));
        try (ConfigWatcher w = new ConfigWatcher(file(), INTERVAL, listener, ENV)) {
            w.start();
            ConfigFile.writeActiveKeystore(file(), "site", CipherType.CUSTOM);

            DataEncConfig c = assertInstanceOf(DataEncConfig.class, next());
            assertEquals("site", c.activeKeystore());
        }
    }

    @Test
    void commentOnlyChange_isNotReported() throws Exception {
        write(config("primary", "platform", "5m"));
        try (ConfigWatcher w = new ConfigWatcher(file(), INTERVAL, listener, ENV)) {
            w.start();
            List<String> lines = new java.util.ArrayList<>(config("primary", "platform", "5m"));
            lines.add("# a new comment, nothing else");
            write(lines);
            // then a real change: the first event must be that one
            Thread.sleep(INTERVAL.toMillis() * 6);
            write(config("primary", "platform", "8m"));

            DataEncConfig c = assertInstanceOf(DataEncConfig.class, next());
            assertEquals(Duration.ofMinutes(8), c.cache().maxAge());
            assertNull(events.poll(INTERVAL.toMillis() * 4, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void startTwice_isRefused() throws Exception {
        write(config("primary", "platform", "5m"));
        try (ConfigWatcher w = new ConfigWatcher(file(), INTERVAL, listener, ENV)) {
            w.start();
            assertThrows(IllegalStateException.class, w::start);
        }
    }
}
