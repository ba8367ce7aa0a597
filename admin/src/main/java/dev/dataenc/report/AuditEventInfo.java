package dev.dataenc.report;

import dev.dataenc.audit.AuditEvent;

/**
 * One audit trail entry.
 *
 * @param seq      its position in the trail (increasing)
 * @param at       when
 * @param actor    who ({@code user@host pid N (tool)})
 * @param action   what ({@code CDK_ROTATED}, {@code SWITCH_COMPLETED}, {@code DATA_DECRYPTED}, ...)
 * @param cdkId    the CDK concerned, or null
 * @param keystore the keystore concerned, or null
 * @param detail   the explanation ({@code ""} if none)
 */
public record AuditEventInfo(long seq, String at, String actor, String action, String cdkId, String keystore,
                             String detail) {

    /** The JSON view of {@code e}. */
    public static AuditEventInfo of(AuditEvent e) {
        return new AuditEventInfo(e.seq(), Times.of(e.at()), e.actor(), e.action().name(), Times.id(e.cdkId()),
                e.keystore(), e.detail());
    }
}
