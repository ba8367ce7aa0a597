package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

/**
 * A key unwrapped for a CDK is not that CDK's key: it does not match the key check value stored
 * with the CDK (a wrapping was added or altered in the registry), or the CDK has no check value
 * and the reader is configured to refuse such legacy CDKs. The key was destroyed unused.
 */
public class CdkCheckFailedException extends WrappedKeyException {

    private final transient CdkId cdkId;

    public CdkCheckFailedException(CdkId cdkId, String message) {
        super(message);
        this.cdkId = cdkId;
    }

    public CdkCheckFailedException(CdkId cdkId, String message, Throwable cause) {
        super(message, cause);
        this.cdkId = cdkId;
    }

    /** The CDK whose check failed. */
    public CdkId cdkId() {
        return cdkId;
    }
}
