package dev.dataenc.migrate;

/** Where a migration batch is. */
public enum BatchStatus {
    /** Not started (or given back). */
    PENDING,
    /** A node works on it until its lease runs out. */
    CLAIMED,
    /** Finished; its counters are in the job. */
    DONE
}
