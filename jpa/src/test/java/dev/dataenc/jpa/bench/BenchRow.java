package dev.dataenc.jpa.bench;

/** The two string attributes every benchmark entity has, read back to check and consume a load. */
public interface BenchRow {

    /** The first 64-character attribute. */
    String name();

    /** The second 64-character attribute. */
    String email();
}
