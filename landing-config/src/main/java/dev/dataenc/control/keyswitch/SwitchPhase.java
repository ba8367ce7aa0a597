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
    COMPLETED
}
