package dev.dataenc.cli;

import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationProgress;
import dev.dataenc.migrate.MigrationResult;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Shows a data migration as a {@link CliProgressBar}: records done of the records planned, the
 * rate (records/s) and the ETA. A resumed job starts the bar at the records already done, so the
 * rate and ETA are this run's.
 */
final class MigrationProgressBar implements MigrationProgress, AutoCloseable {

    private final CliProgressBar bar;

    MigrationProgressBar(PrintWriter sink, boolean interactive) {
        this.bar = new CliProgressBar(sink, interactive, "migrate", "records", 100);
    }

    @Override
    public void started(MigrationJob job, long recordsDone) {
        bar.start(job.recordsEstimate(), recordsDone, b -> b.showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                .startsFrom(recordsDone, Duration.ZERO).setUpdateIntervalMillis(200));
    }

    @Override
    public void advanced(long recordsDone, long recordsTotal) {
        bar.step(recordsDone, recordsTotal); // rows inserted since planning make the estimate low
    }

    @Override
    public void finished(MigrationResult result) {
        long records = result.job().counts().records();
        bar.step(records, records);
        bar.close();
    }

    @Override
    public void close() {
        bar.close();
    }
}
