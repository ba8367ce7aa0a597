package dev.dataenc.console;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one kind of request body the console reads: form fields ({@code application/x-www-form-urlencoded}, UTF-8), from
 * its own forms and from scripts ({@code curl -d}); parameters may also come in the query string. A POST with any other
 * body (JSON, multipart, text, another charset) is refused with 415 before anything reads it, so a body the console
 * would not understand never passes silently as "no parameters", and a malformed one never reaches the form parser.
 */
final class FormBodies {

    static final String FORM = "application/x-www-form-urlencoded";

    private FormBodies() {
    }

    /**
     * The before-handler: 415 for a POST whose body is not UTF-8 form fields (an empty body is fine); 400 for a query
     * string or form body that is not well-formed (a {@code %} not followed by two hex digits, bytes that are not UTF-8),
     * which the parser would otherwise drop without a word, leaving the action to run with its defaults.
     */
    static void handle(Context ctx) {
        String query = ctx.queryString();
        if (query != null) {
            requireWellFormed(query.getBytes(StandardCharsets.ISO_8859_1), "query string");
        }
        if (!"POST".equals(ctx.req().getMethod()) || !hasBody(ctx)) {
            return;
        }
        String type = ctx.req().getHeader("Content-Type"); // the raw header: getContentType() throws on an unknown charset
        if (type == null || !acceptable(type)) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(), "send the parameters as form"
                    + " fields (Content-Type: " + FORM + ", UTF-8) or in the query string, not as "
                    + (type == null ? "a body without Content-Type" : "'" + printable(type) + "'") + "; nothing was done");
        }
        requireWellFormed(ctx.bodyAsBytes(), "form body"); // Javalin keeps the body: the form parser reads it again
    }

    /** Percent-decodes {@code encoded} as form fields and decodes the result as strict UTF-8. */
    static void requireWellFormed(byte[] encoded, String where) {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(encoded.length);
        for (int i = 0; i < encoded.length; i++) {
            byte b = encoded[i];
            if (b == '%') {
                int hi = i + 1 < encoded.length ? Character.digit(encoded[i + 1], 16) : -1;
                int lo = i + 2 < encoded.length ? Character.digit(encoded[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw malformed(where, "a '%' not followed by two hex digits");
                }
                decoded.write(hi * 16 + lo);
                i += 2;
            } else {
                decoded.write(b == '+' ? ' ' : b);
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded.toByteArray()));
        } catch (CharacterCodingException e) {
            throw malformed(where, "bytes that are not UTF-8");
        }
    }

    private static HttpResponseException malformed(String where, String what) {
        return new HttpResponseException(HttpStatus.BAD_REQUEST.getCode(), "the " + where + " is not well-formed: it has "
                + what + " (encode each parameter as UTF-8, percent-encoded); nothing was done");
    }

    private static boolean hasBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        return length > 0 || (length < 0 && ctx.req().getHeader("Transfer-Encoding") != null);
    }

    private static boolean acceptable(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(FORM)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=") && !p.substring("charset=".length()).replace("\"", "").strip().equals("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
