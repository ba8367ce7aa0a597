package dev.dataenc.report;

import java.time.Instant;

/** Instants as the JSON model writes them: ISO-8601 UTC text, or {@code null}. */
final class Times {

    private Times() {
    }

    static String of(Instant at) {
        return at == null ? null : at.toString();
    }

    static String id(Object id) {
        return id == null ? null : id.toString();
    }
}
