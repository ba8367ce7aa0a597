package dev.dataenc.spring.jpait;

import dev.dataenc.jpa.DeterministicStringType;
import dev.dataenc.jpa.EncryptedStringType;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Type;

/** An entity with a randomised (context {@code Account.holder}) and a searchable (context {@code Account.email}) attribute. */
@Entity
@Table(name = "account")
public class Account {

    @Id
    private Long id;

    @Type(EncryptedStringType.class)
    @Column(length = 400)
    private String holder;

    @Type(DeterministicStringType.class)
    @Column(length = 400)
    private String email;

    protected Account() {
    }

    public Account(long id, String holder, String email) {
        this.id = id;
        this.holder = holder;
        this.email = email;
    }

    public Long id() {
        return id;
    }

    public String holder() {
        return holder;
    }

    public String email() {
        return email;
    }
}
