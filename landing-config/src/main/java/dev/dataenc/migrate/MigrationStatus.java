package dev.dataenc.migrate;

/** Where a migration job is. */
public enum MigrationStatus {
    /** Planned; batches remain. Resumed by running the same migration again on any node. */
    RUNNING,
    /** Every batch is done and the reference scan is recorded. */
    COMPLETED
}
