package dev.dataenc.jpa.bench;

import dev.dataenc.jpa.DeterministicStringType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Type;

/** Benchmark entity with two 64-character string attributes stored as deterministic encryption ({@code DeterministicStringType}). */
@Entity
@Table(name = "bench_deterministic")
public class DeterministicRow implements BenchRow {

    @Id
    private Long id;

    @Type(DeterministicStringType.class)
    @Column(length = 400)
    private String name;

    @Type(DeterministicStringType.class)
    @Column(length = 400)
    private String email;

    protected DeterministicRow() {
    }

    DeterministicRow(long id, String name, String email) {
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
