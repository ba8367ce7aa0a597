package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.console.ConsoleServer;
import dev.dataenc.console.auth.PasswordHash;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.testing.KeystoreFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import picocli.CommandLine;

/**
 * {@code dataenc serve} started in-process on a free loopback port, as the CLI starts it, over an H2 registry and
 * {@code local} keystores {@code a} (active), {@code b} and {@code c} (its master key disabled), two CDKs under
 * {@code a}, admin {@value #ADMIN} with password {@value #PASSWORD} and a bearer token in {@code $DATAENC_CONSOLE_TOKEN}.
 * The sign-in throttle runs on {@link #clock}, which tests move.
 */
public final class ConsoleFixture implements AutoCloseable {

    private static final java.util.regex.Pattern CSRF = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    public static final String ADMIN = "alice";
    public static final String PASSWORD = "correct horse battery staple";
    public static final String TOKEN = "0123456789abcdef0123456789abcdef-test-token";

    /** A clock tests can move. */
    public static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Path config;
    private final MovableClock clock = new MovableClock();
    private final Serving serving;

    public ConsoleFixture(Path dir) throws IOException, InterruptedException {
        this(dir, "");
    }

    /** As {@link #ConsoleFixture(Path)}, with {@code extraLines} (properties, each ending in a newline) in the file. */
    public ConsoleFixture(Path dir, String extraLines) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=a\n");
        for (String ks : new String[] {"a", "b", "c"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(ks).append(".p12\n")
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(CliFixture.PASSWORD).append('\n');
        }
        sb.append("dataenc.console.admins.").append(ADMIN).append(".password-hash=")
                .append(PasswordHash.hash(PASSWORD.toCharArray())).append('\n')
                .append("dataenc.console.token-env=DATAENC_CONSOLE_TOKEN\n").append(extraLines);
        config = dir.resolve("dataenc.properties");
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(config);
        cli("rotate-cdk");
        cli("rotate-cdk");
        cli("keystore", "disable", "c");

        serving = new Serving(config, clock, Map.of("DATAENC_CONSOLE_TOKEN", TOKEN), "--port", "0");
    }

    /** One {@code dataenc serve --config <file> <args>} running in a thread of this JVM. */
    public static final class Serving implements AutoCloseable {
        private final ConsoleServer server;
        private final Thread thread;
        private final StringWriter err = new StringWriter();
        private volatile int exitCode = -1;

        /** Starts it with {@code env} as its environment; returns once it listens. */
        public Serving(Path config, Clock clock, Map<String, String> env, String... args) throws InterruptedException {
            CompletableFuture<ConsoleServer> started = new CompletableFuture<>();
            CommandLine.IFactory factory = new CommandLine.IFactory() {
                @Override
                @SuppressWarnings("unchecked")
                public <K> K create(Class<K> cls) throws Exception {
                    if (cls == ServeCommand.class) {
                        return (K) new ServeCommand(env::get, clock, started::complete);
                    }
                    return CommandLine.defaultFactory().create(cls);
                }
            };
            String[] full = java.util.stream.Stream.concat(java.util.stream.Stream.of("serve", "--config",
                    config.toString()), java.util.Arrays.stream(args)).toArray(String[]::new);
            thread = new Thread(() -> {
                exitCode = DataencCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), false,
                        factory, full);
                started.completeExceptionally(new IllegalStateException("dataenc serve ended with " + exitCode + ": "
                        + err));
            }, "console-fixture-serve");
            thread.start();
            try {
                server = started.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }

        public String url() {
            return server.url();
        }

        /** The console itself (for what HTTP does not show, such as how many sessions it has made). */
        public ConsoleServer server() {
            return server;
        }

        @Override
        public void close() throws InterruptedException {
            server.close();
            thread.join();
            assertEquals(0, exitCode, () -> "dataenc serve: " + err);
        }
    }

    /** Runs {@code dataenc <args> --config <file>} and expects exit code 0; returns standard output. */
    public String cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", config.toString())).toArray(String[]::new);
        int code = DataencCli.run(new PrintWriter(o, true), new PrintWriter(e, true), full);
        assertEquals(0, code, () -> "dataenc " + String.join(" ", args) + ": " + e);
        return o.toString();
    }

    /** Runs {@code dataenc <args>} (no config added) and returns exit code, out and err. */
    public static CliFixture.Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = DataencCli.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new CliFixture.Run(code, o.toString(), e.toString());
    }

    /** As {@link #run}, with {@code stdin} on standard input. */
    public static CliFixture.Run runWithStdin(String stdin, String... args) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    public String url() {
        return serving.url();
    }

    public Path config() {
        return config;
    }

    /** The console itself. */
    public ConsoleServer server() {
        return serving.server();
    }

    public MovableClock clock() {
        return clock;
    }

    /** The control plane as an admin tool opens it (changes nothing on open). */
    public ControlPlane plane() {
        return ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("test"));
    }

    /** The ACTIVE CDK's id, read from the console's registry. */
    public dev.dataenc.cdk.CdkId activeCdk() {
        try (ControlPlane plane = plane()) {
            return plane.registry().findActive().orElseThrow().id();
        }
    }

    /** The CSRF token of a console page's form (fails the test when the page has none). */
    public static String csrfOf(String html) {
        java.util.regex.Matcher m = CSRF.matcher(html);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "no CSRF field in " + html);
        return m.group(1);
    }

    @Override
    public void close() throws InterruptedException {
        serving.close();
    }
}
