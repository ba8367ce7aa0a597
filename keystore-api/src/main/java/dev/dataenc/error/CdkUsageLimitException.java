package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

import java.util.Objects;

/**
 * Encryption under a CDK was refused because the CDK has reached the hard ceiling of encryptions
 * that random 96-bit AES-GCM nonces allow (2^32 per key, NIST SP 800-38D section 8.3). Rotation
 * should have replaced the CDK long before (the default rotation policy rotates at 2^31); this
 * error means rotation keeps failing. Fix the cause shown by {@code dataenc status} and run
 * {@code dataenc rotate-cdk}. Decryption under the CDK is not affected.
 */
public class CdkUsageLimitException extends DataEncException {

    private final CdkId cdkId;

    public CdkUsageLimitException(CdkId cdkId, String message) {
        super(message);
        this.cdkId = Objects.requireNonNull(cdkId, "cdkId");
    }

    /** The exhausted CDK. */
    public CdkId cdkId() {
        return cdkId;
    }
}
