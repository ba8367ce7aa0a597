package dev.dataenc.jpa;

import dev.dataenc.envelope.DeterministicCipher;

import jakarta.persistence.EntityManagerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A {@code String} attribute stored with deterministic (searchable) encryption (AES-SIV, text form
 * {@code dataenc:d1:...}) under the context {@code Entity.attribute} (or its {@link EncryptionContext}), so the
 * database can find it by equality:
 *
 * <pre>{@code
 * @Type(DeterministicStringType.class)
 * @Column(length = 400, unique = true)
 * private String email;
 *
 * em.createQuery("select c from Customer c where c.email in :e", Customer.class)
 *   .setParameter("e", DataEncJpa.lookup(em.getEntityManagerFactory(), Customer.class, "email", email))
 * }</pre>
 *
 * <p>{@code where c.email = :e} with a plaintext parameter finds only rows written under the ACTIVE CDK; after a
 * rotation or a keystore switch, older rows are found through the candidates of {@link DataEncJpa#lookup} (one per
 * CDK in use). A bound value that already is a deterministic ciphertext of this attribute (it authenticates under
 * its context) is bound as it is, which is what makes those candidates work as query parameters; any other value
 * is encrypted. A value that only looks like one ({@code dataenc:d1:} but does not authenticate) is refused.
 *
 * <p>Reveals which rows hold equal values and how often each occurs; see {@code docs/JPA.md}. A column of
 * {@code n} UTF-8 bytes needs {@code 11 + ceil(4 (n + 35) / 3)} characters.
 */
public final class DeterministicStringType extends EncryptedTextType {

    @Override
    String read(ResultSet rs, int position, String context, EntityManagerFactory factory) throws SQLException {
        return TextValues.read(rs, position, context, this, factory);
    }

    @Override
    void write(PreparedStatement st, String value, int index, String context, EntityManagerFactory factory)
            throws SQLException {
        if (value == null) {
            st.setNull(index, Types.VARCHAR);
            return;
        }
        DeterministicCipher cipher = ciphers(factory).deterministic();
        if (DeterministicCipher.isEncrypted(value)) {
            cipher.decryptString(value, context); // authenticates under this attribute's context, or throws
            st.setString(index, value);
        } else {
            st.setString(index, cipher.encryptString(value, context));
        }
    }
}
