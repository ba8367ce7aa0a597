package dev.dataenc.envelope;

/**
 * What a {@link CdkCache} does with a <em>legacy</em> CDK: one stored without a key check value
 * (made before check values existed, registry schema V6), whose unwrapped key therefore cannot be
 * verified. Such a CDK gets a check value when an administrator backfills it (see
 * {@link CdkUnwrapper#establishCheckValue}) or is replaced by a rotation. Applications set it with
 * {@code dataenc.cache.legacy-cdks} ({@code warn}, {@code decrypt-only}, {@code refuse}; see
 * {@code docs/CONFIGURATION.md}) or {@link CacheLimits#withLegacyCdks}.
 */
public enum LegacyCdkPolicy {
    /**
     * Use it for decryption and encryption, logging a warning once per CDK. The default, so that
     * an upgrade does not stop applications before the backfill ran.
     */
    WARN,
    /**
     * Use it for decryption (a substituted key cannot make GCM release plaintext), with a warning
     * once per CDK; refuse to encrypt under a legacy ACTIVE CDK (an unverified key could be one a
     * registry writer knows). Recommended once the backfill is done.
     */
    DECRYPT_ONLY,
    /** Refuse every legacy CDK, with {@link dev.dataenc.error.CdkCheckFailedException}. */
    REFUSE
}
