package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;

/**
 * A ciphertext names a CDK that was destroyed on purpose ({@code dataenc destroy-cdk}, after a
 * migration proved no record referenced it and it was RETIRED): its wrappings were deleted, so the
 * data can never be decrypted again. A subtype of {@link CdkUnavailableException}, so code that
 * handles unavailable CDKs handles this too.
 */
public class CdkDestroyedException extends CdkUnavailableException {

    private final Instant destroyedAt;

    public CdkDestroyedException(CdkId cdkId, Instant destroyedAt) {
        super(cdkId, "CDK " + cdkId + " was destroyed on purpose at " + destroyedAt + " (its wrappings were deleted"
                + " by 'dataenc destroy-cdk' after it was RETIRED), so data encrypted under it can never be decrypted"
                + " again. This ciphertext was missed by the migration that retired the CDK (or restored from an old"
                + " backup); recover the value from a backup taken before the CDK was destroyed or from its source.",
                null);
        this.destroyedAt = destroyedAt;
    }

    /** When the CDK was destroyed. */
    public Instant destroyedAt() {
        return destroyedAt;
    }
}
