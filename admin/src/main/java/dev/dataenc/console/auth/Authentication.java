package dev.dataenc.console.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;

import jakarta.servlet.http.HttpSession;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The before-handler every request passes: pages need a signed-in session (else a redirect to the sign-in page), the
 * JSON API a session or the bearer token (else 401); a POST of a session needs its CSRF token (else 403, nothing done).
 * A session counts only while its admin is still an account with the hash it signed in with ({@link AdminAccounts},
 * read for every request), and for at most its lifetime after the sign-in however busy it is (the idle timeout is
 * Jetty's): otherwise it is ended at once and the request answered as one without a session. The
 * sign-in page and the static files are open; a sign-in POST needs the sign-in form's token ({@link LoginCsrf}). No
 * request but a successful sign-in makes a session.
 */
public final class Authentication {

    /** Session attribute holding the signed-in admin's name. */
    public static final String ADMIN = "dataenc.admin";
    /** Session attribute holding the {@link AdminAccounts.Credential} the admin signed in with. */
    static final String CREDENTIAL = "dataenc.credential";
    /** Session attribute holding the {@link Instant} of the sign-in. */
    static final String SIGNED_IN_AT = "dataenc.signed-in-at";
    private static final String PRINCIPAL = "dataenc.principal";
    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);

    private final Optional<String> token;
    private final AdminAccounts accounts;
    private final LoginCsrf loginCsrf;
    private final Clock clock;
    private final Duration lifetime;

    /**
     * @param token     the bearer token for scripts, if configured
     * @param accounts  the admin accounts a session's admin must still be one of
     * @param loginCsrf checks the sign-in form's token
     * @param clock     tells how long ago a session signed in
     * @param lifetime  how long after its sign-in a session ends, however busy
     */
    public Authentication(Optional<String> token, AdminAccounts accounts, LoginCsrf loginCsrf, Clock clock,
                          Duration lifetime) {
        this.token = token;
        this.accounts = accounts;
        this.loginCsrf = loginCsrf;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** The remote address (the socket's; forwarded-for headers are not trusted). */
    public static String address(Context ctx) {
        return ctx.req().getRemoteAddr();
    }

    /** Who made the request (set by {@link #handle}). */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal: the authentication handler did not run");
        }
        return p;
    }

    /** Whether the request was let through as someone's (false on the sign-in page and for refused requests). */
    public static boolean known(Context ctx) {
        return ctx.attribute(PRINCIPAL) != null;
    }

    /** Checks the request; answers it (redirect, 401, 403, 503) and skips the rest when refused. */
    public void handle(Context ctx) {
        String path = ctx.path();
        if (path.equals("/login")) {
            if (ctx.method() == HandlerType.POST) {
                loginCsrf.refusal(ctx).ifPresent(why -> refuse(ctx, HttpStatus.FORBIDDEN, why));
            }
            return;
        }
        if (path.startsWith("/static/")) {
            if (ctx.method() == HandlerType.POST && !Csrf.valid(ctx)) {
                refuse(ctx, HttpStatus.FORBIDDEN, "the form has expired or did not come from this console; reload it");
            }
            return;
        }
        boolean api = path.startsWith("/api/");
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (token.isPresent() && authorization.startsWith("Bearer ") && MessageDigest.isEqual(
                    token.get().getBytes(StandardCharsets.UTF_8),
                    authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8))) {
                ctx.attribute(PRINCIPAL, new Principal("token", address(ctx)));
                return; // no cookie involved: no CSRF check
            }
            refuse(ctx, HttpStatus.UNAUTHORIZED, "the bearer token is not the one configured");
            return;
        }
        HttpSession session = ctx.req().getSession(false);
        String admin;
        AdminAccounts.Credential credential;
        Instant signedInAt;
        try {
            admin = session == null ? null : (String) session.getAttribute(ADMIN);
            credential = admin == null ? null : (AdminAccounts.Credential) session.getAttribute(CREDENTIAL);
            signedInAt = admin == null ? null : (Instant) session.getAttribute(SIGNED_IN_AT);
        } catch (IllegalStateException ended) { // invalidated by a request at the same time
            admin = null;
            credential = null;
            signedInAt = null;
        }
        String why = "sign in first (or send the bearer token)";
        if (admin != null && (signedInAt == null || clock.instant().isAfter(signedInAt.plus(lifetime)))) {
            end(session);
            admin = null;
            why = "the session has ended: it was signed in more than " + lifetime.toHours() + " hours ago; sign in again";
        }
        if (admin != null) {
            try {
                if (!accounts.holds(admin, credential)) {
                    end(session);
                    LOG.info("ended a console session of {}: the account is gone or has another password hash", admin);
                    admin = null;
                    why = "the session has ended: its admin account was removed or its password changed; sign in again";
                }
            } catch (UncheckedIOException e) {
                LOG.warn("{} {} refused: cannot read the admin accounts: {}", ctx.method(), path, e.getMessage());
                refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the admin accounts cannot be read now (see the console's"
                        + " log); try again once the configuration file is readable; nothing was done");
                return;
            }
        }
        if (admin == null) {
            if (api || ctx.method() != HandlerType.GET) {
                refuse(ctx, HttpStatus.UNAUTHORIZED, why);
            } else {
                ctx.redirect("/login", HttpStatus.SEE_OTHER);
                ctx.skipRemainingHandlers();
            }
            return;
        }
        if (ctx.method() == HandlerType.POST && !Csrf.valid(ctx)) {
            refuse(ctx, HttpStatus.FORBIDDEN, "the CSRF token is missing or wrong; reload the page; nothing was changed");
            return;
        }
        ctx.attribute(PRINCIPAL, new Principal(admin, address(ctx)));
    }

    private static void end(HttpSession session) {
        try {
            session.invalidate();
        } catch (IllegalStateException alreadyEnded) {
            // a request at the same time ended it
        }
    }

    private static void refuse(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        if (status == HttpStatus.UNAUTHORIZED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dataenc\"");
        }
        if (ctx.path().startsWith("/api/")) { // the API's every error is {"error": "..."} (the messages have no quotes)
            ctx.contentType("application/json; charset=utf-8").result("{\"error\": \"" + message + "\"}\n");
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(message + "\n");
        }
        ctx.skipRemainingHandlers();
    }
}
