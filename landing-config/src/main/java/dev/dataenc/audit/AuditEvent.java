package dev.dataenc.audit;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit trail: who did what, when, to which CDK or keystore. Never key bytes
 * and never data.
 *
 * @param seq      position in the trail (increasing)
 * @param at       when
 * @param actor    who or what did it (user, host, process, tool)
 * @param action   what happened
 * @param cdkId    the CDK concerned, or {@code null}
 * @param keystore the keystore concerned, or {@code null}
 * @param detail   a human-readable explanation (for refusals: why)
 */
public record AuditEvent(long seq, Instant at, String actor, AuditAction action, CdkId cdkId, String keystore,
                         String detail) {

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
    }

    /** One line for the CLI and logs: control characters in actor, keystore and detail escaped ({@link AuditText}). */
    public String line() {
        return at + "  " + action + "  " + AuditText.escape(actor)
                + (keystore == null ? "" : "  keystore=" + AuditText.escape(keystore))
                + (cdkId == null ? "" : "  cdk=" + cdkId)
                + (detail.isEmpty() ? "" : "  " + AuditText.escape(detail));
    }

    /** Every field, with control characters escaped. */
    @Override
    public String toString() {
        return "AuditEvent[seq=" + seq + ", at=" + at + ", actor=" + AuditText.escape(actor) + ", action=" + action
                + ", cdkId=" + cdkId + ", keystore=" + AuditText.escape(keystore) + ", detail=" + AuditText.escape(detail)
                + "]";
    }
}
