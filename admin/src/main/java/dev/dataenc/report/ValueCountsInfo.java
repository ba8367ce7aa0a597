package dev.dataenc.report;

import dev.dataenc.migrate.ValueCounts;

/**
 * What a data migration did to the values it read (see {@code ValueCounts}).
 *
 * @param records            records read
 * @param migrated           ciphertexts re-encrypted under the target CDK
 * @param alreadyTarget      ciphertexts already under it, left alone
 * @param nulls              NULL values
 * @param plaintext          plaintext values left alone
 * @param encryptedPlaintext plaintext values encrypted ({@code ENCRYPT_PLAINTEXT} mode)
 * @param changedByApp       values the application changed meanwhile (kept)
 * @param unreadable         values that look encrypted but do not decrypt with the column's context
 */
public record ValueCountsInfo(long records, long migrated, long alreadyTarget, long nulls, long plaintext,
                              long encryptedPlaintext, long changedByApp, long unreadable) {

    /** The JSON view of {@code c}. */
    public static ValueCountsInfo of(ValueCounts c) {
        return new ValueCountsInfo(c.records(), c.migrated(), c.alreadyTarget(), c.nulls(), c.plaintext(),
                c.encryptedPlaintext(), c.changedByApp(), c.unreadable());
    }
}
