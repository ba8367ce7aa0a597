package dev.dataenc.console.auth;

import io.javalin.http.Context;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token, which needs no session, so that an anonymous visitor costs the console no memory
 * (a session is made only by a successful sign-in). It is a signed double-submit cookie:
 * <ul>
 * <li>the sign-in page sets the cookie {@value #COOKIE} to a random nonce ({@code HttpOnly}, {@code SameSite=Strict},
 * {@code Secure} under TLS, path {@code /login}) and puts in the form the issue time and
 * HMAC-SHA256(per-console secret, issue time, nonce);</li>
 * <li>{@code POST /login} is taken only with that cookie and a token whose MAC over the cookie's nonce checks out
 * (compared in constant time) and that is at most {@link #MAX_AGE} old; anything else is refused before the password
 * is looked at.</li>
 * </ul>
 * Why this and not something simpler: a token that is only signed (a MAC over the issue time) is the same for every
 * browser, so an attacker would fetch one from the console and put it into a forged sign-in form (login CSRF: the
 * victim signed in as the attacker); the token must be bound to something only the victim's browser has, a cookie,
 * which another site can neither read nor set, and which {@code SameSite=Strict} keeps off a cross-site POST anyway.
 * A plain double-submit cookie (cookie equals field) would let whoever can plant a cookie choose both; the MAC admits
 * only pairs this console issued, for {@link #MAX_AGE}. The secret is random for each start of the console (nothing to
 * configure or leak; a restart makes open sign-in forms stale, which say to reload) and is never rendered or logged.
 */
public final class LoginCsrf {

    /** The cookie holding the form's nonce. */
    public static final String COOKIE = "dataenc_login";
    /** How long a sign-in form stays good; an older one must be reloaded. */
    public static final Duration MAX_AGE = Duration.ofHours(1);
    /** How far an issue time may lie ahead of the clock (which may have been set back a little meanwhile). */
    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final int NONCE_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int TOKEN_BYTES = Long.BYTES + MAC_BYTES;
    private static final byte[] PURPOSE = "dataenc console sign-in form\0".getBytes(StandardCharsets.US_ASCII);
    private static final String FORGED = "the sign-in form has expired or did not come from this console; reload it;"
            + " nothing was done";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;
    private final boolean secure;

    /**
     * @param clock  tells the issue time and the age of a form
     * @param secure whether the console serves HTTPS (the cookie is then {@code Secure})
     */
    public LoginCsrf(Clock clock, boolean secure) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        Arrays.fill(secret, (byte) 0);
        this.clock = clock;
        this.secure = secure;
    }

    /**
     * Sets the form's cookie (keeping the nonce of a cookie the browser already has, so that two open sign-in forms
     * both stay good) and returns the token for the form's hidden field {@value Csrf#FIELD}.
     */
    public String issue(Context ctx) {
        byte[] nonce = decode(ctx.cookie(COOKIE), NONCE_BYTES);
        if (nonce == null) {
            nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
        }
        ctx.res().addHeader("Set-Cookie", cookie(B64.encodeToString(nonce), MAX_AGE.toSeconds()));
        long issued = clock.instant().getEpochSecond();
        return B64.encodeToString(ByteBuffer.allocate(TOKEN_BYTES).putLong(issued).put(mac(issued, nonce)).array());
    }

    /**
     * Why the sign-in POST's token is refused (one line, saying what to do), or empty when it is good: the form field
     * {@value Csrf#FIELD} (or the header {@value Csrf#HEADER}) must be a token {@link #issue} gave with the browser's
     * cookie, at most {@link #MAX_AGE} ago.
     */
    public Optional<String> refusal(Context ctx) {
        byte[] nonce = decode(ctx.cookie(COOKIE), NONCE_BYTES);
        if (nonce == null) {
            return Optional.of("the sign-in form's cookie is missing: allow cookies for this console and reload the"
                    + " form; nothing was done");
        }
        String given = ctx.header(Csrf.HEADER);
        byte[] token = decode(given != null ? given : ctx.formParam(Csrf.FIELD), TOKEN_BYTES);
        if (token == null) {
            return Optional.of(FORGED);
        }
        ByteBuffer b = ByteBuffer.wrap(token);
        long issued = b.getLong();
        byte[] mac = new byte[MAC_BYTES];
        b.get(mac);
        if (!MessageDigest.isEqual(mac(issued, nonce), mac)) {
            return Optional.of(FORGED);
        }
        Instant now = clock.instant();
        Instant at = Instant.ofEpochSecond(issued); // issued by this console (the MAC says so): in range
        if (at.isAfter(now.plus(SKEW)) || Duration.between(at, now).compareTo(MAX_AGE) > 0) {
            return Optional.of("the sign-in form has been open for more than " + MAX_AGE.toMinutes()
                    + " minutes; reload it; nothing was done");
        }
        return Optional.empty();
    }

    /** Tells the browser to drop the form's cookie (at sign-in: the session takes over). */
    public void forget(Context ctx) {
        ctx.res().addHeader("Set-Cookie", cookie("", 0));
    }

    private String cookie(String value, long maxAge) {
        return COOKIE + "=" + value + "; Path=/login; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private byte[] mac(long issued, byte[] nonce) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(PURPOSE);
            hmac.update(ByteBuffer.allocate(Long.BYTES).putLong(issued).array());
            return hmac.doFinal(nonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The bytes of base64url {@code s} if it decodes to exactly {@code length} bytes, else null. */
    private static byte[] decode(String s, int length) {
        if (s == null || s.isEmpty() || s.length() > 2 * length) {
            return null;
        }
        try {
            byte[] b = Base64.getUrlDecoder().decode(s);
            return b.length == length ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "LoginCsrf[max age " + MAX_AGE + "]";
    }
}
