package dev.dataenc.console.auth;

import dev.dataenc.console.pages.Templates;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import jakarta.servlet.http.HttpSession;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /login} and {@code POST /logout}. The sign-in page makes no session (its form's token is
 * {@link LoginCsrf}'s). A sign-in checks the throttle first (a locked-out account or address is refused even with the
 * right password), then the password against the accounts as they are now; a success ends any session the browser had
 * and makes a new one (a new id, so no session fixation) with a new CSRF token, the account's credential and the time
 * of the sign-in; every refusal is audited without the password. Signing out ends the session.
 */
public final class SignInRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SignInRoutes.class);

    private final AdminAccounts accounts;
    private final LoginCsrf loginCsrf;
    private final LoginThrottle throttle;
    private final SignInAudit audit;
    private final Templates templates;
    private final Clock clock;

    /**
     * @param accounts  who may sign in
     * @param loginCsrf gives the sign-in form its token
     * @param throttle  limits the attempts
     * @param audit     records sign-ins and refusals
     * @param templates renders the sign-in page
     * @param clock     stamps the sign-in (a session's lifetime counts from it)
     */
    public SignInRoutes(AdminAccounts accounts, LoginCsrf loginCsrf, LoginThrottle throttle, SignInAudit audit,
                        Templates templates, Clock clock) {
        this.accounts = accounts;
        this.loginCsrf = loginCsrf;
        this.throttle = throttle;
        this.audit = audit;
        this.templates = templates;
        this.clock = clock;
    }

    /** Adds the routes. */
    public void addTo(RoutesConfig routes) {
        routes.get("/login", ctx -> form(ctx, HttpStatus.OK, "", ""));
        routes.post("/login", this::signIn);
        routes.post("/logout", ctx -> {
            end(ctx.req().getSession(false));
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
        });
    }

    private void form(Context ctx, HttpStatus status, String name, String error) {
        ctx.status(status);
        templates.renderPlain(ctx, "login", Map.of("csrf", loginCsrf.issue(ctx), "name", name, "error", error));
    }

    private void signIn(Context ctx) {
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        String address = Authentication.address(ctx);
        Optional<Duration> wait = throttle.attempt(name, address); // counted as a failure unless it succeeds
        if (wait.isPresent()) {
            audit.failed(name, address, "sign-in refused: too many failed attempts, locked out for another "
                    + wait.get().toSeconds() + " s");
            form(ctx, HttpStatus.TOO_MANY_REQUESTS, name, "Too many failed sign-ins. Try again in "
                    + Math.max(1, wait.get().toSeconds()) + " seconds.");
            return;
        }
        char[] chars = password.toCharArray();
        Optional<AdminAccounts.Credential> credential;
        try {
            credential = accounts.verify(name, chars);
        } catch (UncheckedIOException e) {
            LOG.warn("sign-in refused: cannot read the admin accounts: {}", e.getMessage());
            throttle.withdrawn(name, address); // no password was checked: not a failed guess
            audit.failed(name, address, "sign-in refused: the admin accounts cannot be read");
            form(ctx, HttpStatus.SERVICE_UNAVAILABLE, name, "The admin accounts cannot be read now (see the console's"
                    + " log). Try again once the configuration file is readable.");
            return;
        } finally {
            Arrays.fill(chars, '\0');
        }
        if (credential.isEmpty()) {
            audit.failed(name, address, "sign-in refused: wrong name or password");
            form(ctx, HttpStatus.UNAUTHORIZED, name, "Wrong name or password.");
            return;
        }
        throttle.succeeded(name, address);
        end(ctx.req().getSession(false)); // whoever this browser was signed in as before
        HttpSession session = ctx.req().getSession(true); // the only place a session is made: a new id
        session.setAttribute(Authentication.ADMIN, name);
        session.setAttribute(Authentication.CREDENTIAL, credential.get());
        session.setAttribute(Authentication.SIGNED_IN_AT, clock.instant());
        Csrf.renew(session);
        loginCsrf.forget(ctx);
        audit.signedIn(new Principal(name, address));
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private static void end(HttpSession session) {
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyEnded) {
                // a request at the same time ended it
            }
        }
    }
}
