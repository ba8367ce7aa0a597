package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataenc.cli.ConsoleFixture;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A browser-like HTTP client of one console: its own cookies, no redirects followed. */
final class ConsoleVisitor {

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A client of the console at {@code baseUrl}. */
    ConsoleVisitor(String baseUrl) {
        this.base = baseUrl;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base).resolve(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of a server-sent event stream, as a browser's {@code EventSource} asks; the body is read as it arrives. */
    HttpResponse<Stream<String>> events(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base).resolve(path)).header("Accept", "text/event-stream")
                        .GET().build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    HttpResponse<String> post(String path, Map<String, String> form, String... headers)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base).resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The session cookie's value, or "" without one. */
    String session() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(ConsoleServer.SESSION_COOKIE))
                .map(HttpCookie::getValue).findFirst().orElse("");
    }

    /** Fills in and sends the sign-in form; returns the answer to the POST. */
    HttpResponse<String> signIn(String name, String password) throws IOException, InterruptedException {
        String csrf = ConsoleFixture.csrfOf(get("/login").body());
        return post("/login", Map.of("_csrf", csrf, "name", name, "password", password));
    }

    /** Signs in as {@code name}; returns the CSRF token of the signed-in session. */
    String signedIn(String name, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = signIn(name, password);
        assertEquals(303, r.statusCode(), name + ": " + r.body());
        return ConsoleFixture.csrfOf(get("/").body());
    }

    /** Signs in as the fixture's admin; returns the CSRF token of the signed-in session. */
    String signedIn() throws IOException, InterruptedException {
        return signedIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
    }
}
