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

    /** One line for the CLI. */
    public String line() {
        return at + "  " + action + "  " + actor
                + (keystore == null ? "" : "  keystore=" + keystore)
                + (cdkId == null ? "" : "  cdk=" + cdkId)
                + (detail.isEmpty() ? "" : "  " + detail);
    }
}
