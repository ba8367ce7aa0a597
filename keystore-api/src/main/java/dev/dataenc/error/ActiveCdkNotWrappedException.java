package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

/**
 * Encryption was refused because the ACTIVE CDK has no wrapping that the active keystore can
 * unwrap: new data is encrypted only under a CDK that the active keystore's master key protects.
 * Typically a switch has not finished, or a CDK was made ACTIVE by writing to the registry directly.
 * Decryption is not affected.
 */
public class ActiveCdkNotWrappedException extends CdkUnavailableException {

    public ActiveCdkNotWrappedException(CdkId cdkId, String message) {
        super(cdkId, message, null);
    }
}
