package dev.dataenc.jpa.bench;

import dev.dataenc.jpa.EncryptedStringType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Type;

/** Benchmark entity with two 64-character string attributes stored as randomised encryption ({@code EncryptedStringType}). */
@Entity
@Table(name = "bench_encrypted")
public class EncryptedRow implements BenchRow {

    @Id
    private Long id;

    @Type(EncryptedStringType.class)
    @Column(length = 400)
    private String name;

    @Type(EncryptedStringType.class)
    @Column(length = 400)
    private String email;

    protected EncryptedRow() {
    }

    EncryptedRow(long id, String name, String email) {
        this.id = id;
        this.name = name;
        this.email = email;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String email() {
        return email;
    }
}
