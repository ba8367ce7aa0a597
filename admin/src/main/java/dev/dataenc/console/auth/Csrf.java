package dev.dataenc.console.auth;

import io.javalin.http.Context;

import jakarta.servlet.http.HttpSession;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The per-session CSRF token of a signed-in admin: every form carries it in the hidden field {@value #FIELD}, scripts
 * send it in the header {@value #HEADER}; every POST of a session must carry it (compared in constant time). It is made
 * at sign-in, with the session; the sign-in form itself, which has no session, has {@link LoginCsrf}'s token.
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

    /**
     * The session's token (it never makes a session).
     *
     * @throws IllegalStateException if the request has no session
     */
    public static String token(Context ctx) {
        HttpSession session = ctx.req().getSession(false);
        if (session == null) {
            throw new IllegalStateException("no session: only a signed-in session has a CSRF token");
        }
        String token = (String) session.getAttribute(ATTRIBUTE);
        return token != null ? token : renew(session);
    }

    /** Gives {@code session} a new token (at sign-in). */
    static String renew(HttpSession session) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        session.setAttribute(ATTRIBUTE, token);
        return token;
    }

    /** Whether the request carries the session's token (false without a session). */
    public static boolean valid(Context ctx) {
        HttpSession session = ctx.req().getSession(false);
        String expected;
        try {
            expected = session == null ? null : (String) session.getAttribute(ATTRIBUTE);
        } catch (IllegalStateException ended) { // invalidated meanwhile
            return false;
        }
        String given = ctx.header(HEADER);
        if (given == null) {
            given = ctx.formParam(FIELD);
        }
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
