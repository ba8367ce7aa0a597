package dev.dataenc.error;

/**
 * Encryption was asked for but the CDK registry has no {@code ACTIVE} customer data key.
 * Generate one (for example with {@code dataenc rotate-cdk}) before encrypting.
 */
public class NoActiveCdkException extends DataEncException {

    public NoActiveCdkException(String message) {
        super(message);
    }
}
