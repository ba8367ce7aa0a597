package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cli.CliFixture;
import dev.dataenc.cli.ConsoleFixture;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.console.auth.PasswordHash;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.testing.KeystoreFiles;
import dev.dataenc.testing.PostgresServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console while its PostgreSQL registry refuses connections (a real server, {@code ALLOW_CONNECTIONS false} and
 * its sessions terminated): reads and actions answer 503 Service Unavailable with the one-line reason (not 409, which
 * says the control plane refused the request itself, so a script cannot tell a refusal from an outage), nothing is
 * changed, and the console answers again once the database is back, without a restart.
 */
class ConsoleRegistryAwayTest {

    @TempDir
    Path dir;

    private static void allowConnections(PostgresServer pg, String url, boolean allow) throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
                pg.user(), "");
             Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db + " WITH ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
            }
        }
    }

    @Test
    void registryAway_readsAndActionsAnswer503AndChangeNothing() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        String url = pg.newDatabase();
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=a\n")
                .append("dataenc.registry.url=").append(url).append("\ndataenc.registry.user=").append(pg.user())
                .append("\ndataenc.registry.connect-timeout=1s\n");
        for (String ks : new String[] {"a", "b"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(dir.resolve(ks + ".p12")).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(CliFixture.PASSWORD).append('\n');
        }
        sb.append("dataenc.console.admins.").append(ConsoleFixture.ADMIN).append(".password-hash=")
                .append(PasswordHash.hash(ConsoleFixture.PASSWORD.toCharArray()))
                .append("\ndataenc.console.token-env=DATAENC_CONSOLE_TOKEN\n");
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(file);
        assertEquals(0, ConsoleFixture.run("rotate-cdk", "--config", file.toString()).code());
        String configBefore = Files.readString(file);

        try (ConsoleFixture.Serving serving = new ConsoleFixture.Serving(file, new ConsoleFixture.MovableClock(),
                Map.of("DATAENC_CONSOLE_TOKEN", ConsoleFixture.TOKEN), "--port", "0")) {
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            String base = serving.url().replaceAll("/$", "");
            allowConnections(pg, url, false);
            try {
                for (String[] r : new String[][] {{"GET", "/api/status"}, {"POST", "/api/rotate-cdk"},
                        {"POST", "/api/switch?target=b"}}) {
                    HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(base + r[1]))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ConsoleFixture.TOKEN)
                            .method(r[0], HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    String what = r[0] + " " + r[1] + ": " + a.body();
                    assertEquals(503, a.statusCode(), what);
                    assertTrue(a.body().startsWith("{\"error\": ") && a.body().contains("registry"), what);
                    assertEquals(1, a.body().strip().lines().count(), what);
                    assertFalse(a.body().contains("Exception") || a.body().contains("SELECT")
                            || a.body().contains("INSERT"), what);
                    assertEquals("no-store", a.headers().firstValue("Cache-Control").orElse(""), what);
                }
            } finally {
                allowConnections(pg, url, true);
            }
            HttpResponse<String> back = http.send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                    .header("Authorization", "Bearer " + ConsoleFixture.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, back.statusCode(), back.body());
        }
        assertEquals(configBefore, Files.readString(file), "the switch did not rewrite the file");
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(file), ControlPlane.Options.admin("test"))) {
            assertEquals(1, plane.audit().byAction(AuditAction.CDK_ROTATED).size(), "only the setup's rotation");
            assertEquals("a", plane.jobs().state().orElseThrow().activeKeystore());
        }
    }
}
