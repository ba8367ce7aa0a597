package dev.dataenc.migrate;

/** What a migration does to values. */
public enum MigrationMode {
    /**
     * Re-encrypts ciphertexts of older CDKs under the ACTIVE CDK. Plaintext values are counted and
     * reported as not encrypted, never touched.
     */
    REENCRYPT,
    /**
     * As {@link #REENCRYPT}, and also encrypts plaintext values under the ACTIVE CDK: turning encryption
     * on for an existing column.
     */
    ENCRYPT_PLAINTEXT
}
