package dev.dataenc.console.auth;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The per-session CSRF token: every form carries it in the hidden field {@value #FIELD}, scripts send it in the header
 * {@value #HEADER}; every POST of a session must carry it (compared in constant time).
 */
public final class Csrf {

    /** The hidden form field. */
    public static final String FIELD = "_csrf";
    /** The request header for scripts. */
    public static final String HEADER = "X-CSRF-Token";
    private static final String ATTRIBUTE = "dataenc.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    /** The session's token, made on first use (this creates the session). */
    public static String token(Context ctx) {
        String token = ctx.sessionAttribute(ATTRIBUTE);
        if (token == null) {
            token = renew(ctx);
        }
        return token;
    }

    /** Gives the session a new token (at sign-in). */
    public static String renew(Context ctx) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ctx.sessionAttribute(ATTRIBUTE, token);
        return token;
    }

    /** Whether the request carries the session's token (false without a session). */
    public static boolean valid(Context ctx) {
        if (ctx.req().getSession(false) == null) {
            return false;
        }
        String expected = ctx.sessionAttribute(ATTRIBUTE);
        String given = ctx.header(HEADER);
        if (given == null) {
            given = ctx.formParam(FIELD);
        }
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
