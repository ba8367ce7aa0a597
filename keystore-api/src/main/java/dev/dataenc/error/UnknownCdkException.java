package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

/**
 * A ciphertext names a customer data key (CDK) that the CDK registry does not know. Either
 * the ciphertext comes from another installation, the registry points at the wrong
 * database, or the CDK was destroyed.
 */
public class UnknownCdkException extends DataEncException {

    private final transient CdkId cdkId;

    public UnknownCdkException(CdkId cdkId, String message) {
        super(message);
        this.cdkId = cdkId;
    }

    /** The CDK id the caller asked for. */
    public CdkId cdkId() {
        return cdkId;
    }
}
