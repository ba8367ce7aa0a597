package dev.dataenc.cdk;

/** Life-cycle status of a customer data key. */
public enum CdkStatus {
    /** Used for all new encryption. Exactly one CDK is ACTIVE once the first one exists. */
    ACTIVE,
    /** Decrypts existing data; never used for new encryption. */
    DECRYPT_ONLY,
    /** No data references it any more (proven by a migration scan); its wrappings may be destroyed. */
    RETIRED
}
