package dev.dataenc.cli;

import dev.dataenc.control.SwitchProgress;

import java.io.PrintWriter;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a keystore switch's re-wrap as a progress bar ({@code me.tongfei:progressbar}) on a
 * writer. On a terminal the bar redraws in place; otherwise (a pipe, a log, a test) only the
 * final state is written, as one plain line of its own. {@link #close()} ends a bar the switch left open (it failed).
 */
final class RewrapProgressBar implements SwitchProgress, AutoCloseable {

    private static final int WIDTH = 80;

    private final PrintWriter sink;
    private final boolean interactive;
    private ProgressBar bar;
    private int done = -1;
    private int total;

    RewrapProgressBar(PrintWriter sink, boolean interactive) {
        this.sink = sink;
        this.interactive = interactive;
    }

    @Override
    public synchronized void rewrapStarted(int total, int done) {
        close();
        this.total = total;
        this.done = done;
        if (!interactive) {
            return; // a pipe, a log or a test: one deterministic line at the end (see close)
        }
        bar = new ProgressBarBuilder()
                .setTaskName("re-wrap CDKs")
                .setInitialMax(total)
                .setUnit(" CDKs", 1)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(100)
                .setMaxRenderedLength(WIDTH)
                .setConsumer(new WriterConsumer(sink))
                .hideEta()
                .build();
        bar.stepTo(done);
    }

    @Override
    public synchronized void rewrapped(int done, int total) {
        this.done = done;
        this.total = total;
        if (bar != null) {
            bar.maxHint(total);
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void rewrapFinished() {
        close();
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (!interactive && done >= 0) {
            int percent = total == 0 ? 100 : (int) (100L * done / total);
            sink.println("re-wrap CDKs " + percent + "% " + done + "/" + total + " CDKs");
            sink.flush();
        }
        done = -1;
    }

    /** Writes rendered bars to a terminal writer, redrawn in place. */
    static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter sink;

        WriterConsumer(PrintWriter sink) {
            this.sink = sink;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
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
