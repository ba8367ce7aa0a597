package dev.dataenc.console.auth;

import dev.dataenc.console.pages.Templates;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /login} and {@code POST /logout}. A sign-in checks the throttle first (a locked-out account or address
 * is refused even with the right password), then the password; a success gets a new session id and a new CSRF token;
 * every refusal is audited without the password.
 */
public final class SignInRoutes {

    private final AdminAccounts accounts;
    private final LoginThrottle throttle;
    private final SignInAudit audit;
    private final Templates templates;

    public SignInRoutes(AdminAccounts accounts, LoginThrottle throttle, SignInAudit audit, Templates templates) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
        this.templates = templates;
    }

    /** Adds the routes. */
    public void addTo(RoutesConfig routes) {
        routes.get("/login", ctx -> form(ctx, HttpStatus.OK, "", ""));
        routes.post("/login", this::signIn);
        routes.post("/logout", ctx -> {
            if (ctx.req().getSession(false) != null) {
                ctx.req().getSession(false).invalidate();
            }
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
        });
    }

    private void form(Context ctx, HttpStatus status, String name, String error) {
        ctx.status(status);
        templates.renderPlain(ctx, "login", Map.of("csrf", Csrf.token(ctx), "name", name, "error", error));
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
        boolean ok;
        try {
            ok = accounts.verify(name, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
        if (!ok) {
            audit.failed(name, address, "sign-in refused: wrong name or password");
            form(ctx, HttpStatus.UNAUTHORIZED, name, "Wrong name or password.");
            return;
        }
        throttle.succeeded(name, address);
        ctx.req().changeSessionId(); // no session fixation: the id from before the sign-in is void
        Csrf.renew(ctx);
        ctx.sessionAttribute(Authentication.ADMIN, name);
        audit.signedIn(new Principal(name, address));
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }
}
