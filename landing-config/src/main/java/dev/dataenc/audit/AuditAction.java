package dev.dataenc.audit;

/** What happened, as recorded in the audit trail. */
public enum AuditAction {
    /** The registry was first used: the active keystore and cipher type were recorded. */
    CONTROL_INITIALIZED,
    /** A new CDK was generated and became ACTIVE. */
    CDK_GENERATED,
    /** A CDK received a new wrapping under another master key (verified before it was stored). */
    CDK_REWRAPPED,
    /** The ACTIVE CDK was replaced by a new one (the old one is DECRYPT_ONLY). */
    CDK_ROTATED,
    /** A CDK became RETIRED. */
    CDK_RETIRED,
    /**
     * A CDK whose destruction was scheduled had its wrappings deleted after the waiting period: it is DESTROYED
     * and can never be unwrapped again.
     */
    CDK_DESTROYED,
    /** A RETIRED CDK was scheduled for destruction after a waiting period (its usage counts are in the detail). */
    CDK_DESTRUCTION_SCHEDULED,
    /** A scheduled destruction was cancelled during its waiting period: the CDK is RETIRED again. */
    CDK_DESTRUCTION_CANCELLED,
    /**
     * Alarm: something asked for a CDK whose destruction is scheduled (a decrypt in the data plane, a migration, a
     * re-wrap) and was refused. Data under it still exists: cancel the destruction.
     */
    CDK_USE_REFUSED_ALARM,
    /** An operator attested, with a reason, what no scan can prove (e.g. that no BLOB under a CDK is left). */
    CDK_ATTESTED,
    /** A migration source was declared mistaken and forgotten: its scans are no evidence any more. */
    MIGRATION_SOURCE_FORGOTTEN,
    /** A wrapping was removed from a CDK that kept at least one other wrapping. */
    WRAPPING_REMOVED,
    /** A keystore switch job started. */
    SWITCH_STARTED,
    /** An unfinished keystore switch job was picked up again (after a crash or by another node). */
    SWITCH_RESUMED,
    /** A keystore switch finished: the target is the active keystore. */
    SWITCH_COMPLETED,
    /**
     * An unfinished keystore switch was rolled back by an admin: its new CDK (which had encrypted nothing) is
     * RETIRED, the previous ACTIVE CDK is ACTIVE again, the source stays the active keystore.
     */
    SWITCH_CANCELLED,
    /** A keystore switch was refused by a guard; nothing changed. */
    SWITCH_REFUSED,
    /** A changed configuration was applied. */
    CONFIG_APPLIED,
    /** A changed configuration was refused; the previous one stays in force. */
    CONFIG_REFUSED,
    /** Every CDK was checked for an available wrapping. */
    VERIFIED,
    /** A data migration (re-encryption of a record source to the ACTIVE CDK) was planned and started. */
    MIGRATION_STARTED,
    /** An unfinished data migration was picked up again (after a crash, or by another node joining it). */
    MIGRATION_RESUMED,
    /** A data migration finished every batch and recorded its reference scan. */
    MIGRATION_COMPLETED,
    /** A cipher transition started (phase 1: the new keystore wraps every CDK in use). */
    CIPHER_TRANSITION_STARTED,
    /** A cipher transition moved to its next phase. */
    CIPHER_TRANSITION_ADVANCED,
    /** A cipher-transition step was refused; nothing changed. */
    CIPHER_TRANSITION_REFUSED,
    /**
     * An admin decrypted a value or file ({@code dataenc decrypt}): the CDK, the context, the input and where
     * the plaintext went; never the plaintext. Recorded after the ciphertext authenticated and before any
     * plaintext was released.
     */
    DATA_DECRYPTED,
    /** Alarm: automatic rotation of the ACTIVE CDK keeps failing (repeated hourly while it lasts). */
    ROTATION_FAILING,
    /** A {@code local} keystore's master key (and file) was created ({@code dataenc keystore create}). */
    KEYSTORE_CREATED,
    /** A keystore's master key got a new version that new wrappings use ({@code dataenc keystore rotate-master-key}). */
    MASTER_KEY_ROTATED,
    /** A keystore's master key was disabled: it wraps and unwraps nothing until enabled. */
    MASTER_KEY_DISABLED,
    /** A disabled master key was enabled again. */
    MASTER_KEY_ENABLED,
    /** An admin changed the registry's CDK rotation policy ({@code dataenc policy set}). */
    ROTATION_POLICY_CHANGED,
    /** A key check value was recorded for a CDK created before check values existed ({@code dataenc record-check-values}). */
    CDK_CHECK_VALUE_RECORDED,
    /** An admin signed in to the web console ({@code dataenc serve}). */
    CONSOLE_SIGNED_IN,
    /** A sign-in to the web console was refused (wrong name or password, or locked out); the password is not recorded. */
    CONSOLE_SIGN_IN_FAILED
}
