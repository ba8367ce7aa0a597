package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cli.ConsoleFixture;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against an outside tester's malformed and unexpected requests, over real HTTP on one {@code dataenc serve}
 * (H2 registry, local keystores): every answer is a typed 4xx with the security headers, names no exception class, and
 * changes nothing.
 */
class ConsoleRobustnessTest {

    private static final String BEARER = "Bearer " + ConsoleFixture.TOKEN;
    private static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    static Path dir;

    private static ConsoleFixture console;
    /** A signed-in browser: its cookies, and the session's CSRF token. */
    private static HttpClient browser;
    private static String csrf;

    @BeforeAll
    static void start() throws Exception {
        console = new ConsoleFixture(dir);
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String loginCsrf = csrf(send(browser, request("/login").GET()).body());
        HttpResponse<String> signedIn = send(browser, request("/login").header("Content-Type",
                FORM).POST(form(Map.of("_csrf", loginCsrf, "name", ConsoleFixture.ADMIN, "password",
                ConsoleFixture.PASSWORD))));
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        csrf = csrf(send(browser, request("/").GET()).body());
    }

    @AfterAll
    static void stop() throws Exception {
        console.close();
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(console.url().replaceAll("/$", "") + pathAndQuery))
                .timeout(Duration.ofSeconds(5));
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(),
                StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder b)
            throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> anonymous(HttpRequest.Builder b) throws IOException, InterruptedException {
        return send(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), b);
    }

    /** {@code requestLine} sent as is with the bearer token over a plain socket; the whole answer. */
    private static String raw(String requestLine) throws IOException {
        URI base = URI.create(console.url());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + BEARER
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String csrf(String html) {
        return ConsoleFixture.csrfOf(html);
    }

    private static CdkId activeCdk() {
        return console.activeCdk();
    }

    private static int audited(AuditAction action) {
        try (ControlPlane plane = console.plane()) {
            return plane.audit().byAction(action).size();
        }
    }

    private static String activeKeystore() {
        try (ControlPlane plane = console.plane()) {
            return plane.jobs().state().orElseThrow().activeKeystore();
        }
    }

    /** The security headers, and no stack trace, exception class or HTML error page of the server's. */
    private static void assertClean(HttpResponse<String> r) {
        String uri = r.uri().toString();
        String what = r.request().method() + " " + (uri.length() > 120 ? uri.substring(0, 120) + "..." : uri) + " -> "
                + r.statusCode() + ": " + r.body();
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), what);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), what);
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), what);
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), what);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), what);
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("jetty")
                || r.body().contains("HTTP ERROR"), what);
    }

    @Test
    void answersJettyGivesItself_carryTheSecurityHeadersAsOnePlainLine() throws Exception {
        HttpResponse<String> longUri = anonymous(request("/api/status?x=" + "a".repeat(20_000))
                .header("Authorization", BEARER));
        HttpResponse<String> longHeader = anonymous(request("/api/status").header("Authorization", BEARER)
                .header("X-Long", "a".repeat(20_000)));
        HttpResponse<String> ambiguous = anonymous(request("/static/%2e%2e/%2e%2e/etc/passwd"));
        assertEquals(414, longUri.statusCode(), longUri.body());
        assertEquals(431, longHeader.statusCode(), longHeader.body());
        assertEquals(400, ambiguous.statusCode(), ambiguous.body());
        for (HttpResponse<String> r : List.of(longUri, longHeader, ambiguous)) {
            assertClean(r);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.body());
            assertEquals(1, r.body().strip().lines().count(), r.body());
            assertFalse(r.body().contains("<"), r.body());
        }
        String version = raw("GET /api/status HTTP/9.9\r\nX-Ignore: x");
        assertTrue(version.startsWith("HTTP/1.1 505 ") && version.contains("X-Content-Type-Options: nosniff")
                && !version.contains("internal error"), version);
    }

    @Test
    void wrongMethod_is405AndAnUnknownPathStays404() throws Exception {
        Map<String, String> wrong = Map.of("PUT", "/api/status", "DELETE", "/api/cdks", "PATCH", "/api/rotate-cdk");
        for (Map.Entry<String, String> w : wrong.entrySet()) {
            HttpResponse<String> r = anonymous(request(w.getValue()).header("Authorization", BEARER)
                    .method(w.getKey(), HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, r.statusCode(), w + ": " + r.body());
            assertClean(r);
        }
        HttpResponse<String> getOfAnAction = anonymous(request("/api/switch").header("Authorization", BEARER).GET());
        assertEquals(405, getOfAnAction.statusCode(), getOfAnAction.body());
        HttpResponse<String> deletePage = send(browser, request("/cdks").DELETE());
        assertEquals(405, deletePage.statusCode(), deletePage.body());
        assertClean(deletePage);
        HttpResponse<String> unknown = anonymous(request("/api/no-such-call").header("Authorization", BEARER).GET());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertClean(unknown);
        assertEquals(401, anonymous(request("/api/status").PUT(HttpRequest.BodyPublishers.noBody())).statusCode(),
                "without a session or token: still 401 first");
    }

    @Test
    void postWhoseBodyIsNotUtf8FormFields_is415AndChangesNothing() throws Exception {
        CdkId before = activeCdk();
        int rotations = audited(AuditAction.CDK_ROTATED);
        byte[] file = Files.readAllBytes(console.config());
        String fields = "_csrf=" + csrf + "&reason=not+a+form";

        List<HttpResponse<String>> refused = List.of(
                // a session's rotation with the right CSRF token, but as text/plain (what a cross-site form can send)
                send(browser, request("/rotate").header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(fields))),
                // a malformed multipart body
                send(browser, request("/rotate").header("Content-Type", "multipart/form-data; boundary=xx")
                        .header(dev.dataenc.console.auth.Csrf.HEADER, csrf)
                        .POST(HttpRequest.BodyPublishers.ofString("garbage"))),
                // an unknown charset
                send(browser, request("/rotate").header("Content-Type", FORM + "; charset=bogus")
                        .POST(HttpRequest.BodyPublishers.ofString(fields))),
                anonymous(request("/login").header("Content-Type", FORM + "; charset=bogus")
                        .POST(HttpRequest.BodyPublishers.ofString("name=x&password=y"))),
                // a script sending JSON, which the API does not read
                anonymous(request("/api/switch").header("Authorization", BEARER).header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"target\": \"b\"}"))),
                anonymous(request("/api/rotate-cdk").header("Authorization", BEARER)
                        .POST(HttpRequest.BodyPublishers.ofString("reason=no-content-type"))));
        for (HttpResponse<String> r : refused) {
            assertEquals(415, r.statusCode(), r.uri() + ": " + r.body());
            assertClean(r);
            assertTrue(r.body().contains("application/x-www-form-urlencoded") && r.body().contains("nothing was done"),
                    r.body());
            assertEquals(1, r.body().strip().lines().count(), r.body());
        }
        assertEquals(before, activeCdk());
        assertEquals(rotations, audited(AuditAction.CDK_ROTATED));
        assertEquals("a", activeKeystore());
        assertEquals(new String(file, StandardCharsets.UTF_8), Files.readString(console.config()));

        // form fields (with or without charset=UTF-8) and query parameters still work
        HttpResponse<String> ok = anonymous(request("/api/remove-wrappings?keystore=b").header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> okForm = send(browser, request("/verify").header("Content-Type", FORM
                + "; charset=UTF-8").POST(form(Map.of("_csrf", csrf))));
        assertEquals(200, okForm.statusCode(), okForm.body());
    }

    @Test
    void eventsOfAnUnknownSwitchRun_are404NotAnEmptyStream() throws Exception {
        HttpResponse<String> r = send(browser, request("/switch/runs/no-such-run/events").GET());
        assertEquals(404, r.statusCode(), r.body());
        assertFalse(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertClean(r);
    }

    @Test
    void concurrentWrongPasswords_getNoMoreGuessesThanTheThrottleAllows() throws Exception {
        int attempts = 20;
        try {
            List<HttpClient> clients = new java.util.ArrayList<>();
            List<String> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                HttpClient c = HttpClient.newBuilder().cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER).build();
                clients.add(c);
                tokens.add(csrf(send(c, request("/login").GET()).body()));
            }
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                answers.add(clients.get(i).sendAsync(request("/login").header("Content-Type", FORM)
                        .POST(form(Map.of("_csrf", tokens.get(i), "name", ConsoleFixture.ADMIN, "password",
                                "wrong guess " + i))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Long> byStatus = answers.stream().map(java.util.concurrent.CompletableFuture::join)
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
            assertEquals(java.util.Set.of(401, 429), byStatus.keySet(), byStatus.toString());
            assertTrue(byStatus.get(401) <= 5, "at most 5 passwords may be tried before the lockout, were: " + byStatus);

            HttpClient c = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            String token = csrf(send(c, request("/login").GET()).body());
            assertEquals(429, send(c, request("/login").header("Content-Type", FORM).POST(form(Map.of("_csrf", token,
                    "name", ConsoleFixture.ADMIN, "password", ConsoleFixture.PASSWORD)))).statusCode(), "locked out");
        } finally {
            console.clock().advance(Duration.ofHours(1));
        }
    }

    @Test
    void switchToAKeystoreTheConfigurationDoesNotName_isRefused409BeforeAnyRunStarts() throws Exception {
        byte[] file = Files.readAllBytes(console.config());
        int refusals = audited(AuditAction.SWITCH_REFUSED);
        HttpResponse<String> r = send(browser, request("/switch/run").header("Content-Type", FORM)
                .POST(form(Map.of("_csrf", csrf, "target", "no-such-keystore"))));
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty(), "no run was started: " + r.headers().map());
        assertTrue(r.body().contains("'no-such-keystore' is not configured"), r.body());
        assertClean(r);
        assertEquals("a", activeKeystore());
        assertEquals(refusals, audited(AuditAction.SWITCH_REFUSED));
        assertEquals(new String(file, StandardCharsets.UTF_8), Files.readString(console.config()));
    }

    @Test
    void malformedPercentEncodingOrNonUtf8Bytes_are400AndChangeNothing() throws Exception {
        CdkId before = activeCdk();
        int rotations = audited(AuditAction.CDK_ROTATED);
        List<HttpResponse<String>> refused = List.of(
                anonymous(request("/api/rotate-cdk").header("Authorization", BEARER).header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofString("reason=abc%ZZdef"))),
                anonymous(request("/api/rotate-cdk").header("Authorization", BEARER).header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'r', 'e', 'a', 's', 'o', 'n', '=',
                            (byte) 0xff, (byte) 0xfe}))),
                anonymous(request("/api/rotate-cdk?reason=%C3%28").header("Authorization", BEARER)
                        .POST(HttpRequest.BodyPublishers.noBody())),
                send(browser, request("/rotate").header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(
                        "_csrf=" + csrf + "&reason=%C3%28"))),
                anonymous(request("/api/cdks?status=ACTIVE%ff").header("Authorization", BEARER).GET()));
        for (HttpResponse<String> r : refused) {
            assertEquals(400, r.statusCode(), r.uri() + ": " + r.body());
            assertClean(r);
            assertTrue(r.body().contains("not well-formed") && r.body().contains("nothing was done"), r.body());
        }
        // what java.net.URI will not send: a '%' without two hex digits in the query string
        for (String line : List.of("POST /api/rotate-cdk?reason=%ZZ", "GET /api/cdks?status=%ZZ",
                "GET /api/audit?limit=5%Z")) {
            String answer = raw(line);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), line + ": " + answer);
            assertTrue(answer.contains("not well-formed") && answer.contains("X-Content-Type-Options: nosniff"),
                    line + ": " + answer);
        }
        assertEquals(before, activeCdk());
        assertEquals(rotations, audited(AuditAction.CDK_ROTATED));
        HttpResponse<String> utf8 = anonymous(request("/api/cdks?status=decrypt-only&keystore=caf%C3%A9")
                .header("Authorization", BEARER).GET());
        assertEquals(200, utf8.statusCode(), utf8.body());
    }

    @Test
    void parameterGivenTwiceOrDryRunNeitherTrueNorFalse_is400AndChangesNothing() throws Exception {
        CdkId before = activeCdk();
        byte[] file = Files.readAllBytes(console.config());
        List<HttpResponse<String>> refused = List.of(
                // which keystore was meant? the form says b, the query c
                anonymous(request("/api/switch?target=c").header("Authorization", BEARER).header("Content-Type", FORM)
                        .POST(form(Map.of("target", "b")))),
                anonymous(request("/api/switch/plan?target=b&target=c").header("Authorization", BEARER).GET()),
                anonymous(request("/api/audit?limit=1&limit=1000").header("Authorization", BEARER).GET()),
                anonymous(request("/api/remove-wrappings").header("Authorization", BEARER).header("Content-Type", FORM)
                        .POST(form(Map.of("keystore", "a", "dryRun", "maybe")))));
        for (HttpResponse<String> r : refused) {
            assertEquals(400, r.statusCode(), r.uri() + ": " + r.body());
            assertClean(r);
            assertTrue(r.body().contains("give it once") || r.body().contains("dryRun must be true or false"), r.body());
        }
        assertEquals("a", activeKeystore());
        assertEquals(before, activeCdk());
        assertEquals(new String(file, StandardCharsets.UTF_8), Files.readString(console.config()));
        HttpResponse<String> dryRun = anonymous(request("/api/remove-wrappings?dryRun=TRUE").header("Authorization",
                BEARER).header("Content-Type", FORM).POST(form(Map.of("keystore", "b"))));
        assertEquals(200, dryRun.statusCode(), dryRun.body());
    }

    @Test
    void apiRefusals_areJsonLikeEveryOtherApiError() throws Exception {
        List<HttpResponse<String>> refused = List.of(
                anonymous(request("/api/status").GET()),
                anonymous(request("/api/status").header("Authorization", "Bearer not-the-token").GET()),
                send(browser, request("/api/rotate-cdk").POST(HttpRequest.BodyPublishers.noBody())));
        for (HttpResponse<String> r : refused) {
            assertTrue(r.statusCode() == 401 || r.statusCode() == 403, r.statusCode() + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    r.uri() + ": " + r.headers().map());
            assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("error").asText()
                    .length() > 10, r.body());
            assertClean(r);
        }
        assertEquals(303, anonymous(request("/cdks").GET()).statusCode(), "pages still redirect to the sign-in page");
    }

    @Test
    void cdkPageFilteredByAKeystoreThatDoesNotExist_is400NotAnEmptyTable() throws Exception {
        HttpResponse<String> typo = send(browser, request("/cdks?keystore=no-such-keystore").GET());
        assertEquals(400, typo.statusCode(), typo.body());
        assertTrue(typo.body().contains("'no-such-keystore' is neither configured nor wraps any CDK"), typo.body());
        assertClean(typo);
        assertEquals(200, send(browser, request("/cdks?keystore=a").GET()).statusCode());
        assertEquals(200, send(browser, request("/cdks?keystore=c&status=ACTIVE").GET()).statusCode(),
                "a configured keystore that wraps nothing shown: an empty table");
    }
}
