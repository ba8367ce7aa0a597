package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

/**
 * A known CDK could not be unwrapped by any configured keystore: every wrapping it has
 * either belongs to a keystore that is not configured here, or that keystore failed. The
 * message lists each wrapping and why it could not be used.
 */
public class CdkUnavailableException extends DataEncException {

    private final transient CdkId cdkId;

    public CdkUnavailableException(CdkId cdkId, String message, Throwable cause) {
        super(message, cause);
        this.cdkId = cdkId;
    }

    public CdkId cdkId() {
        return cdkId;
    }
}
