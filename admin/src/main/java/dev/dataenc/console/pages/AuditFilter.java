package dev.dataenc.console.pages;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;

import io.javalin.http.BadRequestResponse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The audit page's filter: an action, a part of the actor's name (any case), and a time (UTC) from which on.
 *
 * @param action an action name, or empty for any
 * @param actor  text the actor must contain, or empty for any
 * @param since  as typed ({@code 2026-01-31}, {@code 2026-01-31T12:00} or an ISO instant), or empty for any time
 * @param from   {@code since} parsed, or null
 */
public record AuditFilter(String action, String actor, String since, Instant from) {

    /** The filter from the query parameters (null for absent). */
    public static AuditFilter of(String action, String actor, String since) {
        String a = action == null ? "" : action.strip();
        if (!a.isEmpty()) {
            try {
                AuditAction.valueOf(a);
            } catch (IllegalArgumentException e) {
                throw new BadRequestResponse("action '" + a + "' is not an audit action");
            }
        }
        String s = since == null ? "" : since.strip();
        return new AuditFilter(a, actor == null ? "" : actor.strip(), s, s.isEmpty() ? null : parse(s));
    }

    private static Instant parse(String s) {
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (s.endsWith("Z")) {
                return Instant.parse(s);
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse("since '" + s + "' is not a date or time; use e.g. 2026-01-31 or 2026-01-31T12:00");
        }
    }

    /** Whether {@code e} passes. */
    public boolean accepts(AuditEvent e) {
        return (action.isEmpty() || e.action().name().equals(action))
                && (actor.isEmpty() || e.actor().toLowerCase(Locale.ROOT).contains(actor.toLowerCase(Locale.ROOT)))
                && (from == null || !e.at().isBefore(from));
    }
}
