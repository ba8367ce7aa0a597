package dev.dataenc.report;

import dev.dataenc.audit.AuditEvent;

import java.util.List;

/**
 * {@code dataenc audit --json}: the most recent audit events, oldest first.
 *
 * @param schemaVersion {@value ReportDocument#SCHEMA_VERSION}
 * @param command       {@code "audit"}
 * @param limit         the most events asked for
 * @param events        the events, oldest first
 */
public record AuditDocument(int schemaVersion, String command, int limit, List<AuditEventInfo> events)
        implements ReportDocument {

    public AuditDocument {
        events = List.copyOf(events);
    }

    /** The JSON view of {@code events}. */
    public static AuditDocument of(int limit, List<AuditEvent> events) {
        return new AuditDocument(SCHEMA_VERSION, "audit", limit, events.stream().map(AuditEventInfo::of).toList());
    }
}
