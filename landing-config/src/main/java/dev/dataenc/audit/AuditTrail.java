package dev.dataenc.audit;

import dev.dataenc.cdk.CdkId;

import java.util.List;

/** The append-only audit trail of control-plane events. Entries are never changed or deleted. */
public interface AuditTrail {

    /**
     * Appends an event by this trail's actor.
     *
     * @param cdkId    the CDK concerned, or {@code null}
     * @param keystore the keystore concerned, or {@code null}
     * @param detail   explanation; must not contain key bytes or data
     */
    void record(AuditAction action, CdkId cdkId, String keystore, String detail);

    /** The most recent events, oldest first, at most {@code limit}. */
    List<AuditEvent> recent(int limit);

    /** Every event with this action, oldest first. */
    List<AuditEvent> byAction(AuditAction action);

    /**
     * Checks the trail's hash chain ({@link AuditChain}).
     *
     * @return the intact chain's summary
     * @throws AuditChainBrokenException naming the first broken entry
     */
    AuditChainReport verify();
}
