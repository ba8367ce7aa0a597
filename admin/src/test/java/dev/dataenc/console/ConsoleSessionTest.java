package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cli.ConsoleFixture;
import dev.dataenc.console.auth.LoginThrottle;
import dev.dataenc.console.auth.PasswordHash;
import dev.dataenc.control.ControlPlane;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's sessions over real HTTP, on one {@code dataenc serve} started in-process with two more admins
 * ({@value #BOB}, {@value #CAROL}) whose accounts the tests take away or change in the configuration file while they
 * are signed in: who gets a session (only a successful sign-in), what the sign-in form's token must be, and what a
 * session is worth once its admin is gone.
 */
class ConsoleSessionTest {

    private static final String BOB = "bob";
    private static final String BOB_PASSWORD = "bob's long enough password";
    private static final String CAROL = "carol";
    private static final String CAROL_PASSWORD = "carol's long enough password";

    @TempDir
    static Path dir;

    private static ConsoleFixture console;

    @BeforeAll
    static void start() throws Exception {
        console = new ConsoleFixture(dir, ConsoleSettings.ADMINS_PREFIX + BOB + ".password-hash="
                + PasswordHash.hash(BOB_PASSWORD.toCharArray()) + "\n" + ConsoleSettings.ADMINS_PREFIX + CAROL
                + ".password-hash=" + PasswordHash.hash(CAROL_PASSWORD.toCharArray()) + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        console.close();
    }

    private static ConsoleVisitor browser() {
        return new ConsoleVisitor(console.url());
    }

    private static boolean setsSessionCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(ConsoleServer.SESSION_COOKIE + "="));
    }

    private static int audited(AuditAction action) {
        try (ControlPlane plane = console.plane()) {
            return plane.audit().byAction(action).size();
        }
    }

    /** Rewrites the configuration file with {@code admin}'s account line replaced by {@code line} (none if null). */
    private static void rewriteAccount(String admin, String line) throws IOException {
        String prefix = ConsoleSettings.ADMINS_PREFIX + admin + ".password-hash=";
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String l : Files.readString(console.config()).split("\n")) {
            if (l.startsWith(prefix)) {
                found = true;
                if (line != null) {
                    lines.add(line);
                }
            } else {
                lines.add(l);
            }
        }
        assertTrue(found, "no account line for " + admin);
        Files.writeString(console.config(), String.join("\n", lines) + "\n");
    }

    @Test
    void anonymousRequests_makeNoSessionAndOnlyASignInMakesOne() throws Exception {
        int before = console.server().sessionsCreated();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ConsoleVisitor visitor = browser(); // a flood of new visitors, each with its own (empty) cookie jar
            answers.add(visitor.get("/login"));
            answers.add(visitor.get("/"));
            answers.add(visitor.get("/cdks"));
            answers.add(visitor.get("/api/status"));
            answers.add(visitor.post("/rotate", Map.of("reason", "anonymous")));
            answers.add(visitor.post("/login", Map.of("_csrf", "forged", "name", ConsoleFixture.ADMIN,
                    "password", ConsoleFixture.PASSWORD)));
        }
        answers.add(browser().signIn("nobody", "a wrong password")); // the form again, after a refusal
        for (HttpResponse<String> r : answers) {
            assertTrue(r.statusCode() == 200 || r.statusCode() == 303 || r.statusCode() == 401 || r.statusCode() == 403,
                    r.request().method() + " " + r.uri() + " -> " + r.statusCode());
            assertFalse(setsSessionCookie(r), r.request().method() + " " + r.uri() + " made a session: "
                    + r.headers().allValues("Set-Cookie"));
        }
        assertEquals(before, console.server().sessionsCreated(), "sessions made for anonymous requests");

        ConsoleVisitor admin = browser();
        HttpResponse<String> signedIn = admin.signIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertTrue(setsSessionCookie(signedIn), signedIn.headers().map().toString());
        assertEquals(before + 1, console.server().sessionsCreated(), "one sign-in, one session");
        assertEquals(200, admin.get("/").statusCode());
    }

    @Test
    void signInWithAMissingForgedForeignOrExpiredFormToken_isRefused403AndChangesNothing() throws Exception {
        int sessions = console.server().sessionsCreated();
        int failed = audited(AuditAction.CONSOLE_SIGN_IN_FAILED);
        int signedIn = audited(AuditAction.CONSOLE_SIGNED_IN);
        ConsoleVisitor victim = browser();
        String token = ConsoleFixture.csrfOf(victim.get("/login").body());
        String attackersToken = ConsoleFixture.csrfOf(browser().get("/login").body());
        char c = token.charAt(10);
        String tampered = token.substring(0, 10) + (c == 'A' ? 'B' : 'A') + token.substring(11);
        Map<String, String> credentials = Map.of("name", ConsoleFixture.ADMIN, "password", ConsoleFixture.PASSWORD);

        List<HttpResponse<String>> refused = new ArrayList<>();
        refused.add(victim.post("/login", credentials));
        refused.add(victim.post("/login", with(credentials, tampered)));
        // login CSRF: a page of the attacker's makes the victim's browser sign in with a form the attacker fetched
        refused.add(victim.post("/login", with(credentials, attackersToken)));
        refused.add(browser().post("/login", with(credentials, token))); // the token without its browser
        console.clock().advance(Duration.ofHours(2)); // the form has been open for longer than its 1 hour
        refused.add(victim.post("/login", with(credentials, token)));
        for (int i = 0; i < refused.size(); i++) {
            HttpResponse<String> r = refused.get(i);
            assertEquals(403, r.statusCode(), "attempt " + i + ": " + r.body());
            assertEquals(1, r.body().strip().lines().count(), r.body());
            assertTrue(r.body().contains("reload"), r.body());
            assertFalse(setsSessionCookie(r), r.headers().map().toString());
        }
        assertEquals(303, victim.get("/").statusCode(), "not signed in");
        assertEquals(sessions, console.server().sessionsCreated());
        assertEquals(failed, audited(AuditAction.CONSOLE_SIGN_IN_FAILED), "refused before the password was checked");
        assertEquals(signedIn, audited(AuditAction.CONSOLE_SIGNED_IN));

        assertEquals(303, victim.signIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD).statusCode(), "a reloaded form");
        assertEquals(200, victim.get("/").statusCode());
    }

    private static Map<String, String> with(Map<String, String> credentials, String csrf) {
        Map<String, String> form = new java.util.HashMap<>(credentials);
        form.put("_csrf", csrf);
        return form;
    }

    @Test
    void adminRemovedFromTheConfigurationFile_isSignedOutAtOnceAndItsPostIsNotCarriedOut() throws Exception {
        ConsoleVisitor bob = browser();
        String csrf = bob.signedIn(BOB, BOB_PASSWORD);
        ConsoleVisitor alice = browser();
        alice.signedIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        String file = Files.readString(console.config());
        CdkId active = console.activeCdk();
        int rotations = audited(AuditAction.CDK_ROTATED);

        rewriteAccount(BOB, null);
        try {
            HttpResponse<String> rotate = bob.post("/rotate", Map.of("_csrf", csrf, "reason", "by a removed admin"));
            assertEquals(401, rotate.statusCode(), rotate.body());
            assertEquals(active, console.activeCdk(), "the removed admin's rotation was carried out");
            assertEquals(rotations, audited(AuditAction.CDK_ROTATED));
            HttpResponse<String> page = bob.get("/cdks");
            assertEquals(303, page.statusCode(), page.body());
            assertEquals("/login", page.headers().firstValue("Location").orElse(""));
            assertEquals(401, bob.get("/api/status").statusCode());
            assertEquals(401, bob.signIn(BOB, BOB_PASSWORD).statusCode(), "a removed admin cannot sign in again");
            assertEquals(200, alice.get("/").statusCode(), "the other admins stay signed in");
        } finally {
            Files.writeString(console.config(), file);
        }
        assertEquals(303, bob.get("/").statusCode(), "the session was ended, not only refused while the account was away");
        bob.signedIn(BOB, BOB_PASSWORD);
        assertEquals(200, bob.get("/").statusCode());
    }

    @Test
    void adminWhosePasswordHashChanged_isSignedOutAndOnlyTheNewPasswordSignsIn() throws Exception {
        ConsoleVisitor pages = browser();
        pages.signedIn(CAROL, CAROL_PASSWORD);
        ConsoleVisitor api = browser();
        api.signedIn(CAROL, CAROL_PASSWORD);
        String file = Files.readString(console.config());
        String newPassword = "carol's new long enough password";

        rewriteAccount(CAROL, ConsoleSettings.ADMINS_PREFIX + CAROL + ".password-hash="
                + PasswordHash.hash(newPassword.toCharArray()));
        try {
            HttpResponse<String> page = pages.get("/");
            assertEquals(303, page.statusCode(), page.body());
            assertEquals("/login", page.headers().firstValue("Location").orElse(""));
            HttpResponse<String> status = api.get("/api/status");
            assertEquals(401, status.statusCode(), status.body());
            assertTrue(status.body().startsWith("{\"error\": "), status.body());
            assertEquals(401, pages.signIn(CAROL, CAROL_PASSWORD).statusCode(), "the old password");
            pages.signedIn(CAROL, newPassword);
            assertEquals(200, pages.get("/").statusCode());
        } finally {
            Files.writeString(console.config(), file);
        }
        assertEquals(303, pages.get("/").statusCode(), "the hash changed back: a session of the new one is void too");
    }

    @Test
    void signOut_endsTheSession() throws Exception {
        ConsoleVisitor b = browser();
        String csrf = b.signedIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        String cookie = b.session();
        assertFalse(cookie.isEmpty());
        HttpResponse<String> out = b.post("/logout", Map.of("_csrf", csrf));
        assertEquals(303, out.statusCode(), out.body());
        assertEquals("/login", out.headers().firstValue("Location").orElse(""));
        HttpResponse<String> replayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console.url())
                .resolve("/api/status")).header("Cookie", ConsoleServer.SESSION_COOKIE + "=" + cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, replayed.statusCode(), "the signed-out session's cookie still works: " + replayed.body());
        assertEquals(303, b.get("/").statusCode());
    }

    @Test
    void configurationFileThatCannotBeRead_answers503ChangesNothingAndKeepsTheSession() throws Exception {
        ConsoleVisitor alice = browser();
        String csrf = alice.signedIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        CdkId active = console.activeCdk();
        Path away = console.config().resolveSibling("moved-away.properties");
        Files.move(console.config(), away);
        try {
            List<HttpResponse<String>> answers = List.of(alice.get("/api/status"), alice.get("/cdks"),
                    alice.post("/rotate", Map.of("_csrf", csrf, "reason", "while the file is away")));
            for (HttpResponse<String> r : answers) {
                assertEquals(503, r.statusCode(), r.uri() + ": " + r.body());
                assertEquals(1, r.body().strip().lines().count(), r.body());
                assertTrue(r.body().contains("admin accounts cannot be read") && r.body().contains("nothing was done"),
                        r.body());
                assertFalse(r.body().contains("Exception"), r.body());
            }
            for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) { // bob keeps trying while the file is away
                HttpResponse<String> signIn = browser().signIn(BOB, BOB_PASSWORD);
                assertEquals(503, signIn.statusCode(), signIn.body());
                assertTrue(signIn.body().contains("The admin accounts cannot be read now"), signIn.body());
            }
        } finally {
            Files.move(away, console.config());
        }
        assertEquals(active, console.activeCdk());
        assertEquals(200, alice.get("/").statusCode(), "the session outlives the file being away");
        // before: those attempts counted as failed guesses, and bob was locked out (429) once the file was back
        HttpResponse<String> back = browser().signIn(BOB, BOB_PASSWORD);
        assertEquals(303, back.statusCode(), "no password was checked while the file was away: " + back.body());
    }

    @Test
    void sessionKeptBusyForMoreThan12Hours_isEndedAndItsPostIsNotCarriedOut() throws Exception {
        ConsoleVisitor b = browser();
        String csrf = b.signedIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        CdkId active = console.activeCdk();
        // never idle (the Migrations page reloads itself every 5 s while a migration runs), but signed in for long
        for (int hour = 1; hour < 12; hour++) {
            console.clock().advance(Duration.ofHours(1));
            assertEquals(200, b.get("/").statusCode(), "after " + hour + " h");
        }
        console.clock().advance(Duration.ofMinutes(50));
        assertEquals(200, b.get("/").statusCode(), "after 11 h 50 min");
        console.clock().advance(Duration.ofMinutes(20));
        HttpResponse<String> rotate = b.post("/rotate", Map.of("_csrf", csrf, "reason", "12 h 10 min after sign-in"));
        assertEquals(401, rotate.statusCode(), rotate.body());
        assertTrue(rotate.body().contains("sign in again"), rotate.body());
        assertEquals(active, console.activeCdk());
        assertEquals(303, b.get("/").statusCode(), "the session was ended");
        b.signedIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD);
        assertEquals(200, b.get("/").statusCode());
    }
}
