package dev.dataenc.console;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.console.api.ApiRoutes;
import dev.dataenc.console.auth.AdminAccounts;
import dev.dataenc.console.auth.Authentication;
import dev.dataenc.console.auth.LoginCsrf;
import dev.dataenc.console.auth.LoginThrottle;
import dev.dataenc.console.auth.SignInAudit;
import dev.dataenc.console.auth.SignInRoutes;
import dev.dataenc.console.pages.ActionPages;
import dev.dataenc.console.pages.LookPages;
import dev.dataenc.console.pages.SwitchWizard;
import dev.dataenc.console.pages.Templates;
import dev.dataenc.console.switching.SwitchRuns;
import dev.dataenc.control.cluster.RegistryPresence;
import dev.dataenc.error.DataEncException;
import dev.dataenc.registry.RegistryException;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console of {@code dataenc serve}: Javalin on Jetty, bound to one address, HTTPS when a certificate is given
 * (a non-loopback address needs one). Sessions are Jetty's (random ids, HttpOnly, SameSite=Strict, Secure under TLS,
 * idle timeout), made only by a successful sign-in and ended at the latest {@link ConsoleSettings#sessionLifetime} after
 * it; every page and call goes through {@link Authentication}.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    /** The session cookie's name. */
    public static final String SESSION_COOKIE = "dataenc_session";

    private final Javalin app;
    private final SwitchRuns runs;
    private final ConsoleSettings settings;
    private final SessionHandler sessions;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ConsoleServer(ConsoleSettings settings, Javalin app, SwitchRuns runs, SessionHandler sessions) {
        this.settings = settings;
        this.app = app;
        this.runs = runs;
        this.sessions = sessions;
    }

    /**
     * Starts the console.
     *
     * @throws DataEncException if the address is not loopback and there is no certificate, or the registry was never
     *                          initialised; nothing was started
     */
    public static ConsoleServer start(ConsoleSettings settings, Clock clock) {
        requireSafeBind(settings.bind(), settings.secure());
        DataEncConfig config = ConfigLoader.load(settings.configFile());
        RegistryPresence.requireInitialized(config.registry());
        Planes planes = new Planes(settings.configFile());
        Templates templates = new Templates();
        SwitchRuns runs = new SwitchRuns(planes);
        AdminAccounts accounts = new AdminAccounts(() -> ConsoleSettings.readAdmins(settings.configFile()));
        LoginCsrf loginCsrf = new LoginCsrf(clock, settings.secure());
        Authentication auth = new Authentication(settings.token(), accounts, loginCsrf, clock,
                settings.sessionLifetime());
        SecurityHeaders headers = new SecurityHeaders(settings.secure());
        SignInRoutes signIn = new SignInRoutes(accounts, loginCsrf, new LoginThrottle(clock),
                new SignInAudit(() -> planes.config().registry()), templates, clock);
        AtomicReference<SessionHandler> sessions = new AtomicReference<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = settings.bind().getHostAddress();
            cfg.jetty.port = settings.port();
            cfg.http.prefer405over404 = true;
            sessions(cfg, settings, sessions::set);
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ErrorAnswers(headers)));
            settings.tls().ifPresent(tls -> tls(cfg, settings, tls));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/dev/dataenc/console/static";
                files.location = Location.CLASSPATH;
            });
            cfg.routes.before(headers::handle);
            cfg.routes.before(FormBodies::handle);
            cfg.routes.before(auth::handle);
            signIn.addTo(cfg.routes);
            new LookPages(planes, templates).addTo(cfg.routes);
            new SwitchWizard(planes, templates, runs).addTo(cfg.routes);
            new ActionPages(planes, templates).addTo(cfg.routes);
            new ApiRoutes(planes).addTo(cfg.routes);
            cfg.routes.exception(DataEncException.class, (e, ctx) -> problem(ctx, templates,
                    e instanceof RegistryException ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CONFLICT, oneLine(e)));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, templates,
                    HttpStatus.forStatus(e.getStatus()), e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, templates, HttpStatus.INTERNAL_SERVER_ERROR, "internal error; see the console's log"
                        + " (" + ctx.method() + " " + ctx.path() + " failed)");
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            runs.close();
            throw new DataEncException("cannot serve the console on " + settings.bind().getHostAddress() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        return new ConsoleServer(settings, app, runs, sessions.get());
    }

    /**
     * Refuses to listen on a non-loopback address without TLS (passwords and session cookies would cross the network in
     * clear).
     *
     * @throws DataEncException saying so in one line
     */
    public static void requireSafeBind(InetAddress bind, boolean secure) {
        if (!bind.isLoopbackAddress() && !secure) {
            throw new DataEncException("refusing to serve the console on " + bind.getHostAddress()
                    + " without TLS: pass --tls-keystore <file.p12> and --tls-password-env <VAR>, or bind to 127.0.0.1");
        }
    }

    private static void sessions(JavalinConfig cfg, ConsoleSettings settings, Consumer<SessionHandler> made) {
        cfg.jetty.modifyServletContextHandler(handler -> {
            SessionHandler sessions = handler.getSessionHandler();
            made.accept(sessions);
            sessions.setSessionCookie(SESSION_COOKIE);
            sessions.setHttpOnly(true);
            sessions.setSameSite(HttpCookie.SameSite.STRICT);
            sessions.setSecureRequestOnly(true);
            sessions.setSecureCookies(settings.secure());
            sessions.setUsingUriParameters(false);
            sessions.setMaxInactiveInterval((int) settings.idleTimeout().toSeconds());
        });
    }

    private static void tls(JavalinConfig cfg, ConsoleSettings settings, ConsoleSettings.Tls tls) {
        cfg.jetty.modifyServer(server -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keystore().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(tls.password());
            var http = new org.eclipse.jetty.server.HttpConfiguration();
            http.addCustomizer(new SecureRequestCustomizer());
            ServerConnector https = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
            https.setHost(settings.bind().getHostAddress());
            https.setPort(settings.port());
            server.setConnectors(new org.eclipse.jetty.server.Connector[] {https});
        });
    }

    private static void problem(Context ctx, Templates templates, HttpStatus status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || !Authentication.known(ctx)) {
            ctx.contentType(ctx.path().startsWith("/api/") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8")
                    .result(ctx.path().startsWith("/api/") ? "{\"error\": " + jsonString(message) + "}\n" : message + "\n");
            return;
        }
        templates.render(ctx, "problem", status.getCode() == 409 ? "Refused" : "Problem", "", Map.of("message", message,
                "status", status.getCode()));
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String oneLine(DataEncException e) {
        return String.valueOf(e.getMessage()).replaceAll("\\R\\s*", " ");
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** How many sessions the console has made since it started (a session is made only by a successful sign-in). */
    public int sessionsCreated() {
        return sessions.getSessionsCreated();
    }

    /** Where to open it. */
    public String url() {
        String host = settings.bind().getHostAddress();
        return (settings.secure() ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + port() + "/";
    }

    /** Blocks until {@link #close} is called. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            runs.close();
            stopped.countDown();
        }
    }
}
