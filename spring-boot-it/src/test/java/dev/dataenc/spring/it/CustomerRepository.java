package dev.dataenc.spring.it;

import dev.dataenc.envelope.PropertyCipher;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** A customer table whose email column holds dataenc ciphertext (context {@code Customer.email}). */
@Repository
public class CustomerRepository {

    static final String CONTEXT = "Customer.email";

    private final JdbcTemplate jdbc;
    private final PropertyCipher cipher;

    public CustomerRepository(JdbcTemplate jdbc, PropertyCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        jdbc.execute("CREATE TABLE IF NOT EXISTS customer (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL)");
    }

    /** Stores the email encrypted. */
    public void save(long id, String email) {
        jdbc.update("INSERT INTO customer (id, email) VALUES (?, ?)", id, cipher.encryptString(email, CONTEXT));
    }

    /** The decrypted email. */
    public String email(long id) {
        return cipher.decryptString(storedEmail(id), CONTEXT);
    }

    /** The column as stored. */
    public String storedEmail(long id) {
        return jdbc.queryForObject("SELECT email FROM customer WHERE id = ?", String.class, id);
    }
}
