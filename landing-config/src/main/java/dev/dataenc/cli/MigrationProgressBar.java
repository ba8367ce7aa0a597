package dev.dataenc.cli;

import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationProgress;
import dev.dataenc.migrate.MigrationResult;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a data migration as a progress bar ({@code me.tongfei:progressbar}): records done of the
 * records planned, the rate (records/s) and the ETA. On a terminal the bar redraws in place; otherwise
 * (a pipe, a log, a test) only the final state is written, as one deterministic line. A resumed job
 * starts the bar at the records already done, so the rate and ETA are this run's.
 */
final class MigrationProgressBar implements MigrationProgress, AutoCloseable {

    private static final int WIDTH = 100;

    private final PrintWriter sink;
    private final boolean interactive;
    private ProgressBar bar;
    private long done = -1;
    private long total;

    MigrationProgressBar(PrintWriter sink, boolean interactive) {
        this.sink = sink;
        this.interactive = interactive;
    }

    @Override
    public synchronized void started(MigrationJob job, long recordsDone) {
        close();
        this.done = recordsDone;
        this.total = Math.max(job.recordsEstimate(), recordsDone);
        if (!interactive) {
            return; // one deterministic line at the end (see close)
        }
        bar = new ProgressBarBuilder()
                .setTaskName("migrate")
                .setInitialMax(total)
                .setUnit(" records", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .startsFrom(recordsDone, Duration.ZERO)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(WIDTH)
                .setConsumer(new RewrapProgressBar.WriterConsumer(sink))
                .build();
    }

    @Override
    public synchronized void advanced(long recordsDone, long recordsTotal) {
        done = recordsDone;
        total = Math.max(recordsTotal, recordsDone); // rows inserted since planning make the estimate low
        if (bar != null) {
            bar.maxHint(total);
            bar.stepTo(recordsDone);
        }
    }

    @Override
    public synchronized void finished(MigrationResult result) {
        advanced(result.job().counts().records(), result.job().counts().records());
        close();
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (!interactive && done >= 0) {
            int percent = total == 0 ? 100 : (int) (100L * done / total);
            sink.println("migrate " + percent + "% " + done + "/" + total + " records");
            sink.flush();
        }
        done = -1;
    }
}
