package dev.dataenc.jpa;

import dev.dataenc.envelope.DeterministicCipher;

import jakarta.persistence.EntityManagerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reading a text column of either dataenc kind, with the rollout treatment of values that are no ciphertext. */
final class TextValues {

    private TextValues() {
    }

    static String read(ResultSet rs, int position, String context, EncryptedType<?> type, EntityManagerFactory factory)
            throws SQLException {
        String stored = rs.getString(position);
        if (stored == null) {
            return null;
        }
        DataEncJpa.Installed ciphers = type.ciphers(factory);
        if (DeterministicCipher.isEncrypted(stored)) {
            return ciphers.deterministic().decryptString(stored, context);
        }
        if (!stored.startsWith("dataenc:") && ciphers.rollout() == Rollout.READ_PLAINTEXT) {
            DataEncJpa.plaintextRead(context);
            return stored;
        }
        // a randomised ciphertext, or (rollout off) a value that is none: PropertyCipher names what is wrong
        return ciphers.random().decryptString(stored, context);
    }
}
