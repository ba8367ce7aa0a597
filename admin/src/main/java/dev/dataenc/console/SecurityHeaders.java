package dev.dataenc.console;

import io.javalin.http.Context;

/**
 * The headers every answer carries: a content security policy that allows no inline script, no framing, no sniffing,
 * no referrer, nothing cached, and HSTS under TLS.
 */
final class SecurityHeaders {

    /** Scripts and styles only from the console itself; never inside a frame. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    private final boolean secure;

    SecurityHeaders(boolean secure) {
        this.secure = secure;
    }

    void handle(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
        if (secure) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
