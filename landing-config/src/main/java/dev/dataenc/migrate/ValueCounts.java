package dev.dataenc.migrate;

/**
 * What a migration did to the values it looked at. Every non-null value is counted exactly once,
 * in one of {@link #migrated}, {@link #alreadyTarget}, {@link #plaintext}, {@link #encryptedPlaintext},
 * {@link #changedByApp} or {@link #unreadable}; so
 * {@code records x columns = nulls + all of those} for a finished job.
 *
 * @param records            records read
 * @param migrated           ciphertexts re-encrypted under the ACTIVE CDK (verified, then written by compare-and-set)
 * @param alreadyTarget      ciphertexts already under the target (or ACTIVE) CDK, left alone
 * @param nulls              NULL values, left alone
 * @param plaintext          plaintext values left alone (not in {@link MigrationMode#ENCRYPT_PLAINTEXT} mode): not encrypted
 * @param encryptedPlaintext plaintext values encrypted ({@link MigrationMode#ENCRYPT_PLAINTEXT} mode)
 * @param changedByApp       values the application changed between our read and our write (compare-and-set lost),
 *                           and which needed nothing more (re-read and found under the ACTIVE CDK, NULL or gone)
 * @param unreadable         values that look encrypted but could not be decrypted (malformed, other context,
 *                           unknown CDK), left alone
 */
public record ValueCounts(long records, long migrated, long alreadyTarget, long nulls, long plaintext,
                          long encryptedPlaintext, long changedByApp, long unreadable) {

    /** All zero. */
    public static final ValueCounts ZERO = new ValueCounts(0, 0, 0, 0, 0, 0, 0, 0);

    /** The sum of both. */
    public ValueCounts plus(ValueCounts o) {
        return new ValueCounts(records + o.records, migrated + o.migrated, alreadyTarget + o.alreadyTarget,
                nulls + o.nulls, plaintext + o.plaintext, encryptedPlaintext + o.encryptedPlaintext,
                changedByApp + o.changedByApp, unreadable + o.unreadable);
    }

    /** Values looked at, including nulls. */
    public long values() {
        return migrated + alreadyTarget + nulls + plaintext + encryptedPlaintext + changedByApp + unreadable;
    }

    /** Values this migration wrote. */
    public long written() {
        return migrated + encryptedPlaintext;
    }
}
