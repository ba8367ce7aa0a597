package dev.dataenc.console;

import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every answer carries: a content security policy that allows no inline script, no framing, no sniffing,
 * no referrer, nothing cached, and HSTS under TLS. Javalin's answers get them from {@link #handle}; the answers Jetty
 * gives itself (a malformed request, a URI or headers too long) from {@link ErrorAnswers}.
 */
final class SecurityHeaders {

    /** Scripts and styles only from the console itself; never inside a frame. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    private final Map<String, String> headers = new LinkedHashMap<>();

    SecurityHeaders(boolean secure) {
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cache-Control", "no-store");
        if (secure) {
            headers.put("Strict-Transport-Security", "max-age=31536000");
        }
    }

    void handle(Context ctx) {
        headers.forEach(ctx::header);
    }

    /** Sets every header through {@code put} (name, value). */
    void addTo(BiConsumer<String, String> put) {
        headers.forEach(put);
    }
}
