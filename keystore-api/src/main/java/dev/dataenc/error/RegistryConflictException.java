package dev.dataenc.error;

/**
 * A compare-and-set on the CDK registry lost: another writer changed the same record first
 * (for example two nodes both tried to make a new ACTIVE CDK). Re-read and decide again.
 */
public class RegistryConflictException extends DataEncException {

    public RegistryConflictException(String message) {
        super(message);
    }
}
