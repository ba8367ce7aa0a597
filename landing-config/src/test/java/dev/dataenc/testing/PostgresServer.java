package dev.dataenc.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, private PostgreSQL server for tests: {@code initdb} + {@code pg_ctl start} of the
 * Debian package's binaries into a temporary directory, listening on 127.0.0.1 on a free port,
 * stopped when the JVM exits. Started once per JVM. {@code DATAENC_TEST_PG_URL} (with
 * {@code DATAENC_TEST_PG_USER}) points the tests at an existing server instead.
 *
 * <p>{@link #available()} is false when neither is possible (PostgreSQL not installed); the CI
 * script installs it, so there the tests always run.
 */
public final class PostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresServer instance;
    private static volatile String unavailableReason;

    private final String baseUrl;
    private final String user;

    private PostgresServer(String baseUrl, String user) {
        this.baseUrl = baseUrl;
        this.user = user;
    }

    /** The shared server, started on first use; empty (with {@link #unavailableReason()}) if it cannot be. */
    public static synchronized Optional<PostgresServer> available() {
        if (instance == null && unavailableReason == null) {
            if (Boolean.getBoolean("dataenc.test.forceH2")) {
                unavailableReason = "forced off by -Ddataenc.test.forceH2=true";
                System.out.println("PostgresServer: " + unavailableReason + " (tests fall back to H2)");
                return Optional.empty();
            }
            try {
                instance = start();
            } catch (Exception e) {
                unavailableReason = e.getMessage();
            }
        }
        return Optional.ofNullable(instance);
    }

    public static String unavailableReason() {
        return unavailableReason;
    }

    /** A new empty database on the server; returns its JDBC URL. */
    public String newDatabase() throws SQLException {
        String name = "dataenc_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return baseUrl + name;
    }

    public String user() {
        return user;
    }

    /** The JDBC URL of the server's {@code postgres} database (for administration: ALTER DATABASE, pg_terminate_backend). */
    public String adminUrl() {
        return baseUrl + "postgres";
    }

    private static PostgresServer start() throws Exception {
        String external = System.getenv("DATAENC_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            String base = external.endsWith("/") ? external : external.substring(0, external.lastIndexOf('/') + 1);
            return new PostgresServer(base, Optional.ofNullable(System.getenv("DATAENC_TEST_PG_USER")).orElse("postgres"));
        }
        Path bin = findBinDir().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); apt-get install -y postgresql"));
        Path dir = Files.createTempDirectory("dataenc-pg");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String script = bin.resolve("initdb") + " -D " + dir.resolve("data") + " -U postgres -A trust --no-sync -E UTF8 >"
                + dir.resolve("initdb.log") + " 2>&1 && " + bin.resolve("pg_ctl") + " -D " + dir.resolve("data")
                + " -o '-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off'"
                + " -l " + dir.resolve("server.log") + " -w start >/dev/null";
        if (root) {
            run(List.of("chown", "postgres", dir.toString()));
            run(List.of("su", "postgres", "-s", "/bin/bash", "-c", script));
        } else {
            run(List.of("/bin/bash", "-c", script));
        }
        String stop = bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m immediate -w stop >/dev/null 2>&1; rm -rf " + dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder(root ? List.of("su", "postgres", "-s", "/bin/bash", "-c", stop)
                        : List.of("/bin/bash", "-c", stop)).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // best effort at JVM exit
            }
        }));
        return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/", "postgres");
    }

    private static Optional<Path> findBinDir() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        Path best = null;
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
            for (Path v : versions) {
                Path bin = v.resolve("bin");
                if (Files.isExecutable(bin.resolve("initdb")) && (best == null || v.compareTo(best.getParent()) > 0)) {
                    best = bin;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("could not start PostgreSQL: '" + String.join(" ", command)
                    + "' failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
    }
}
