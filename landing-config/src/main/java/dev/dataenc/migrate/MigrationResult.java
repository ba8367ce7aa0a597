package dev.dataenc.migrate;

import java.util.List;
import java.util.Optional;

/**
 * What one {@link Migration#run} call did.
 *
 * @param job          the job as it is after the run (counters over all nodes)
 * @param resumed      true if this call picked up an existing unfinished job (after a crash, or joining another node)
 * @param completedHere true if this node completed the job and recorded its reference scan
 * @param byThisNode   what this node did
 * @param batchesDone  the batches this node finished, in order
 * @param references   the reference scan, once the job is completed
 */
public record MigrationResult(MigrationJob job, boolean resumed, boolean completedHere, ValueCounts byThisNode,
                              List<Integer> batchesDone, Optional<ReferenceScan> references) {

    public MigrationResult {
        batchesDone = List.copyOf(batchesDone);
    }
}
