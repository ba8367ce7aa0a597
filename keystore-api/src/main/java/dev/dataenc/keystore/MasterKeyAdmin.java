package dev.dataenc.keystore;

/**
 * Optional interface of a {@link Keystore} whose master key dataenc administers itself (the
 * {@code local} keystore). Keys in an external keystore such as AWS KMS are administered there
 * instead. Every operation persists before it returns and is seen by other processes that use
 * the same keystore.
 */
public interface MasterKeyAdmin {

    /**
     * Creates a new master key version that new wrappings use; older versions stay available
     * for unwrapping. Returns the new current master key.
     */
    MasterKeyDescription rotateMasterKey();

    /** Disables the master key: wrap and unwrap fail with {@code KeystoreUnavailableException} until enabled. */
    void disableMasterKey();

    /** Enables a disabled master key again. */
    void enableMasterKey();
}
