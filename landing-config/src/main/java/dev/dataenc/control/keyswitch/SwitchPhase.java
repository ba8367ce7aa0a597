package dev.dataenc.control.keyswitch;

/** Where a keystore switch job is; each phase is persisted before the next one starts. */
public enum SwitchPhase {
    /** Guards passed and the job is recorded; the new CDK's id is chosen. */
    STARTED,
    /** The new CDK exists under the target keystore and is ACTIVE; the old one is DECRYPT_ONLY. */
    CDK_ACTIVATED,
    /** Every CDK has a verified wrapping under the target master key. */
    REWRAPPED,
    /** The target is the registry's active keystore. */
    COMPLETED,
    /**
     * An admin rolled the switch back before its new CDK encrypted anything ({@code dataenc switch --cancel}):
     * the source stays the active keystore and its previous ACTIVE CDK is ACTIVE again.
     */
    CANCELLED;

    /** Whether a job in this phase is over (completed or cancelled). */
    public boolean ended() {
        return this == COMPLETED || this == CANCELLED;
    }
}
