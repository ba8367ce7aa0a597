package dev.dataenc.cdk;

/**
 * Life-cycle status of a customer data key. A CDK only ever moves forward:
 * {@code ACTIVE -> DECRYPT_ONLY -> RETIRED -> DESTRUCTION_SCHEDULED -> DESTROYED}, except that a scheduled
 * destruction can be cancelled (back to RETIRED) during its waiting period.
 */
public enum CdkStatus {
    /** Used for all new encryption. Exactly one CDK is ACTIVE once the first one exists. */
    ACTIVE,
    /** Decrypts existing data; never used for new encryption. */
    DECRYPT_ONLY,
    /** No data references it any more (proven by a migration scan); its wrappings may be destroyed. */
    RETIRED,
    /**
     * RETIRED and waiting to be destroyed ({@code dataenc destroy-cdk}): still wrapped, so the destruction can be
     * cancelled, but refused for any use (unwrap, re-wrap) until then; such a use is an alarm, since it means data
     * under it still exists. Its wrappings are deleted only after the waiting period.
     */
    DESTRUCTION_SCHEDULED,
    /**
     * Its wrappings were deleted on purpose ({@code dataenc destroy-cdk}): the key can never be
     * unwrapped again. The only status in which a CDK has no wrapping.
     */
    DESTROYED;

    /** Whether a CDK in this status may still protect data (ACTIVE or DECRYPT_ONLY), so must stay unwrappable. */
    public boolean protectsData() {
        return this == ACTIVE || this == DECRYPT_ONLY;
    }
}
