package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cli.CliFixture;
import dev.dataenc.cli.ConsoleFixture;
import dev.dataenc.console.auth.LoginCsrf;
import dev.dataenc.console.auth.PasswordHash;
import dev.dataenc.control.ControlPlane;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's security over plain HTTP (java.net.http), on one {@code dataenc serve} started in-process: what an
 * unauthenticated request, a POST without the CSRF token, wrong passwords, a wrong token and a non-loopback bind get;
 * the headers; the session cookie; and that the JSON API serves the CLI's {@code --json} documents.
 */
class ConsoleHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static ConsoleFixture console;

    @BeforeAll
    static void start() throws Exception {
        console = new ConsoleFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        console.close();
    }

    private static ConsoleVisitor browser() {
        return new ConsoleVisitor(console.url());
    }

    private static String csrf(String html) {
        return ConsoleFixture.csrfOf(html);
    }

    private static CdkId activeCdk() {
        return console.activeCdk();
    }

    private static List<AuditEvent> audit(AuditAction action) {
        try (ControlPlane plane = console.plane()) {
            return plane.audit().byAction(action);
        }
    }

    @Test
    void unauthenticatedRequest_pageRedirectsToSignInAndApiAnswers401() throws Exception {
        ConsoleVisitor b = browser();
        HttpResponse<String> page = b.get("/cdks");
        assertEquals(303, page.statusCode());
        assertEquals("/login", page.headers().firstValue("Location").orElseThrow());
        assertEquals(401, b.get("/api/status").statusCode());
        assertEquals(401, b.post("/rotate", Map.of()).statusCode());
        assertEquals(401, b.get("/api/status", "Authorization", "Bearer wrong-token-wrong-token-wrong-token").statusCode());
        assertEquals(200, b.get("/api/status", "Authorization", "Bearer " + ConsoleFixture.TOKEN).statusCode());
    }

    @Test
    void postWithoutCsrfToken_isRefused403AndChangesNothing() throws Exception {
        ConsoleVisitor b = browser();
        String csrf = b.signedIn();
        CdkId before = activeCdk();
        int audited = audit(AuditAction.CDK_ROTATED).size();

        assertEquals(403, b.post("/rotate", Map.of("reason", "no token")).statusCode());
        assertEquals(403, b.post("/rotate", Map.of("reason", "wrong token", "_csrf", csrf + "x")).statusCode());
        assertEquals(403, b.post("/api/rotate-cdk", Map.of()).statusCode());

        assertEquals(before, activeCdk());
        assertEquals(audited, audit(AuditAction.CDK_ROTATED).size());
        assertEquals(200, b.post("/rotate", Map.of("reason", "with the token", "_csrf", csrf)).statusCode());
        assertNotEquals(before, activeCdk());
        AuditEvent rotated = audit(AuditAction.CDK_ROTATED).get(audit(AuditAction.CDK_ROTATED).size() - 1);
        assertTrue(rotated.actor().startsWith("console:alice@127.0.0.1"), rotated.actor());
    }

    @Test
    void wrongPassword_isRefusedAndFiveFailuresLockTheAccountOut() throws Exception {
        ConsoleVisitor b = browser();
        try {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = b.signIn(ConsoleFixture.ADMIN, "wrong password " + i);
                assertEquals(401, r.statusCode());
                assertTrue(r.body().contains("Wrong name or password."), r.body());
            }
            HttpResponse<String> locked = b.signIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
            assertEquals(429, locked.statusCode());
            assertTrue(locked.body().contains("Too many failed sign-ins"), locked.body());
            assertEquals(303, b.get("/").statusCode(), "still not signed in");

            List<AuditEvent> failed = audit(AuditAction.CONSOLE_SIGN_IN_FAILED);
            assertTrue(failed.size() >= 6, failed.toString());
            assertTrue(failed.stream().noneMatch(e -> e.line().contains("wrong password")), "password in the audit trail");
            assertTrue(failed.stream().allMatch(e -> e.actor().startsWith("console:alice@")), failed.toString());

            console.clock().advance(Duration.ofSeconds(31));
            assertEquals(303, b.signIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD).statusCode());
        } finally {
            console.clock().advance(Duration.ofHours(1));
        }
    }

    @Test
    void signIn_givesANewHttpOnlyStrictSessionCookie() throws Exception {
        ConsoleVisitor b = browser();
        HttpResponse<String> form = b.get("/login");
        assertTrue(b.session().isEmpty(), "the sign-in page makes no session: " + form.headers().allValues("Set-Cookie"));
        String formCookie = form.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(LoginCsrf.COOKIE + "=")).findFirst().orElseThrow();
        assertTrue(formCookie.contains("HttpOnly") && formCookie.contains("SameSite=Strict")
                && formCookie.contains("Path=/login"), formCookie);
        assertFalse(formCookie.contains("Secure"), "plain HTTP on loopback: " + formCookie);
        HttpResponse<String> signedIn = b.signIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        assertEquals(303, signedIn.statusCode());
        String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleServer.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP on loopback: " + cookie);
        assertEquals(200, b.get("/").statusCode());
        assertFalse(form.body().contains(ConsoleFixture.PASSWORD));

        String first = b.session();
        assertFalse(first.isEmpty());
        assertEquals(303, b.signIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD).statusCode(), "signing in again");
        assertNotEquals(first, b.session(), "the session id must change at sign-in");
        HttpResponse<String> replayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console.url())
                .resolve("/api/status")).header("Cookie", ConsoleServer.SESSION_COOKIE + "=" + first).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, replayed.statusCode(), "the session from before the new sign-in is void: " + replayed.body());
        assertEquals(200, b.get("/").statusCode());
    }

    @Test
    void everyAnswer_carriesTheSecurityHeaders() throws Exception {
        ConsoleVisitor b = browser();
        List<HttpResponse<String>> answers = List.of(b.get("/login"), b.get("/"), b.get("/static/console.js"),
                b.get("/api/status"));
        for (HttpResponse<String> r : answers) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'")
                    && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), r.uri() + ": " + csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), r.uri().toString());
            assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), r.uri().toString());
        }
        assertFalse(b.get("/login").body().contains("<script>"), "no inline script");
    }

    @Test
    void jsonApi_servesTheCliJsonDocuments() throws Exception {
        ConsoleVisitor b = browser();
        String bearer = "Bearer " + ConsoleFixture.TOKEN;
        Map<String, String[]> pairs = new LinkedHashMap<>();
        pairs.put("/api/status", new String[] {"status", "--json"});
        pairs.put("/api/cdks?status=ACTIVE", new String[] {"cdk", "list", "--status", "ACTIVE", "--json"});
        pairs.put("/api/audit?limit=20", new String[] {"audit", "--limit", "20", "--json"});
        pairs.put("/api/switch/plan?target=b", new String[] {"switch", "b", "--dry-run", "--json"});
        for (Map.Entry<String, String[]> p : pairs.entrySet()) {
            HttpResponse<String> api = b.get(p.getKey(), "Authorization", bearer);
            assertEquals(200, api.statusCode(), p.getKey() + ": " + api.body());
            assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode fromCli = JSON.readTree(console.cli(p.getValue()));
            assertEquals(fromCli, JSON.readTree(api.body()), p.getKey());
        }
    }

    @Test
    void apiSwitchToDisabledKeystore_isRefused409AndChangesNothing() throws Exception {
        ConsoleVisitor b = browser();
        byte[] file = Files.readAllBytes(console.config());
        CdkId before = activeCdk();
        HttpResponse<String> r = b.post("/api/switch", Map.of("target", "c"), "Authorization",
                "Bearer " + ConsoleFixture.TOKEN);
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains("'c'"), r.body());
        assertEquals(before, activeCdk());
        try (ControlPlane plane = console.plane()) {
            assertEquals("a", plane.jobs().state().orElseThrow().activeKeystore());
        }
        assertEquals(new String(file, StandardCharsets.UTF_8), Files.readString(console.config()));
    }

    @Test
    void nonLoopbackBindWithoutTls_isRefusedWithOneLine() {
        CliFixture.Run run = ConsoleFixture.run("serve", "--config", console.config().toString(), "--bind", "0.0.0.0",
                "--port", "0");
        assertEquals(1, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("without TLS"), run.err());
    }

    @Test
    void tlsCertificate_servesHttpsWithSecureCookieAndHsts() throws Exception {
        Path p12 = dir.resolve("console-tls.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "console", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "tls-test-password").redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), keytoolOut);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            trust.load(in, "tls-test-password".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        try (ConsoleFixture.Serving https = new ConsoleFixture.Serving(console.config(), console.clock(),
                Map.of("TLS_PASSWORD", "tls-test-password", "DATAENC_CONSOLE_TOKEN", ConsoleFixture.TOKEN), "--port", "0", "--tls-keystore", p12.toString(),
                "--tls-password-env", "TLS_PASSWORD")) {
            assertTrue(https.url().startsWith("https://127.0.0.1:"), https.url());
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(https.url()).resolve("/login"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode());
            String formCookie = login.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(LoginCsrf.COOKIE + "=")).findFirst().orElseThrow();
            assertTrue(formCookie.contains("Secure") && formCookie.contains("HttpOnly")
                    && formCookie.contains("SameSite=Strict"), formCookie);
            HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(URI.create(https.url()).resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                            "_csrf=" + csrf(login.body()) + "&name=" + ConsoleFixture.ADMIN + "&password="
                                    + URLEncoder.encode(ConsoleFixture.PASSWORD, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, signedIn.statusCode(), signedIn.body());
            String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(ConsoleServer.SESSION_COOKIE + "=")).findFirst().orElseThrow();
            assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
                    cookie);
            assertTrue(login.headers().firstValue("Strict-Transport-Security").isPresent());
            URI plain = URI.create(https.url().replace("https://", "http://")).resolve("/login");
            HttpResponse<String> refused = null;
            try {
                refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException expected) {
                // plain HTTP on the TLS port: the connection is dropped
            }
            assertTrue(refused == null || refused.statusCode() == 400, "plain HTTP must not be served");
        }
    }

    @Test
    void hashPassword_printsAnArgon2idHashOfTheStandardInputLine() {
        CliFixture.Run run = ConsoleFixture.runWithStdin("a long enough password\n", "console", "hash-password");
        assertEquals(0, run.code(), run.err());
        String hash = run.out().strip();
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(PasswordHash.matches("a long enough password".toCharArray(), hash));
        assertFalse(PasswordHash.matches("a long enough passwore".toCharArray(), hash));
        assertEquals(1, ConsoleFixture.runWithStdin("short\n", "console", "hash-password").code());
    }
}
