package dev.dataenc.cli;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar ({@code me.tongfei:progressbar}) on a CLI writer. On a terminal it redraws in
 * place; otherwise (a pipe, a log, a test) nothing is drawn while it runs and {@link #close()}
 * writes one deterministic line: {@code <task> <percent>% <done>/<total> <unit>}.
 */
final class CliProgressBar implements AutoCloseable {

    private final PrintWriter sink;
    private final boolean interactive;
    private final String task;
    private final String unit;
    private final int width;
    private ProgressBar bar;
    private long done = -1;
    private long total;

    CliProgressBar(PrintWriter sink, boolean interactive, String task, String unit, int width) {
        this.sink = sink;
        this.interactive = interactive;
        this.task = task;
        this.unit = unit;
        this.width = width;
    }

    /** Starts (or restarts) the bar at {@code done} of {@code total}; {@code options} adds builder settings. */
    synchronized void start(long total, long done, UnaryOperator<ProgressBarBuilder> options) {
        close();
        this.total = Math.max(total, done);
        this.done = done;
        if (!interactive) {
            return;
        }
        bar = options.apply(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(this.total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setMaxRenderedLength(width)
                .setConsumer(new WriterConsumer(sink, width)))
                .build();
        bar.stepTo(done);
    }

    /** Moves the bar to {@code done} of {@code total} (the total may grow). */
    synchronized void step(long done, long total) {
        this.done = done;
        this.total = Math.max(total, done);
        if (bar != null) {
            bar.maxHint(this.total);
            bar.stepTo(done);
        }
    }

    /** Ends the bar: its final state stays visible (a terminal) or is written as one line (otherwise). */
    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (!interactive && done >= 0) {
            int percent = total == 0 ? 100 : (int) (100L * done / total);
            sink.println(task + " " + percent + "% " + done + "/" + total + " " + unit);
            sink.flush();
        }
        done = -1;
    }

    /** Writes rendered bars to a terminal writer, redrawn in place. */
    private static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter sink;
        private final int width;

        WriterConsumer(PrintWriter sink, int width) {
            this.sink = sink;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public void accept(String rendered) {
            sink.print('\r');
            sink.print(rendered);
            sink.flush();
        }

        @Override
        public void clear() {
            // nothing to clear: the final state stays visible
        }

        @Override
        public void close() {
            sink.println();
            sink.flush();
        }
    }
}
