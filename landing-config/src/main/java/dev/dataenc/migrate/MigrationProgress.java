package dev.dataenc.migrate;

/** Told about a migration's progress (for a progress bar). Called on the migrating thread. */
public interface MigrationProgress {

    /** Tells nothing. */
    MigrationProgress NONE = new MigrationProgress() { };

    /**
     * The job was planned or picked up.
     *
     * @param recordsDone records in batches already done (by any node)
     */
    default void started(MigrationJob job, long recordsDone) {
    }

    /**
     * More records were processed.
     *
     * @param recordsDone  records done so far (by all nodes, as far as this node knows)
     * @param recordsTotal the estimate when planned
     */
    default void advanced(long recordsDone, long recordsTotal) {
    }

    /** The run ended on this node. */
    default void finished(MigrationResult result) {
    }
}
