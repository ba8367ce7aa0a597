package dev.dataenc.jpa.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Benchmark entity with two 64-character string attributes stored as plain {@code String} attributes (the baseline). */
@Entity
@Table(name = "bench_plain")
public class PlainRow implements BenchRow {

    @Id
    private Long id;

    @Column(length = 400)
    private String name;

    @Column(length = 400)
    private String email;

    protected PlainRow() {
    }

    PlainRow(long id, String name, String email) {
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
