package dev.dataenc.jpa;

/** How encrypted attributes treat a stored value that is not a dataenc ciphertext. */
public enum Rollout {
    /** Refuse it ({@link dev.dataenc.error.MalformedCiphertextException}): every stored value must be encrypted. */
    OFF,
    /**
     * Read it as plaintext, counted ({@link DataEncJpa#plaintextReads()}) and logged (context only, never the value),
     * while encryption is rolled out over existing rows; writes always encrypt. Turn it off once a migration
     * ({@code dataenc migrate --encrypt-plaintext}) or the application has rewritten every row.
     */
    READ_PLAINTEXT
}
