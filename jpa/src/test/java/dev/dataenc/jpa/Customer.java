package dev.dataenc.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Type;

/** A test entity with one attribute of each encrypted type, and one with an explicit context. */
@Entity
@Table(name = "customer")
public class Customer {

    @Id
    private Long id;

    @Type(EncryptedStringType.class)
    @Column(length = 400)
    private String name;

    @Type(EncryptedBytesType.class)
    @Column(length = 2000)
    private byte[] photo;

    @Type(DeterministicStringType.class)
    @Column(length = 400)
    private String email;

    @Type(EncryptedStringType.class)
    @EncryptionContext("crm.customer.notes")
    @Column(length = 400)
    private String notes;

    protected Customer() {
    }

    Customer(long id, String name, byte[] photo, String email, String notes) {
        this.id = id;
        this.name = name;
        this.photo = photo;
        this.email = email;
        this.notes = notes;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    byte[] photo() {
        return photo;
    }

    String email() {
        return email;
    }

    String notes() {
        return notes;
    }

    void rename(String newName) {
        this.name = newName;
    }
}
