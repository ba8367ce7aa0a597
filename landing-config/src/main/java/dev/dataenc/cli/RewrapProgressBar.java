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
 * final state is written, as one line. {@link #close()} ends a bar the switch left open (it failed).
 */
final class RewrapProgressBar implements SwitchProgress, AutoCloseable {

    private static final int WIDTH = 80;

    private final PrintWriter sink;
    private final boolean interactive;
    private ProgressBar bar;

    RewrapProgressBar(PrintWriter sink, boolean interactive) {
        this.sink = sink;
        this.interactive = interactive;
    }

    @Override
    public synchronized void rewrapStarted(int total, int done) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName("re-wrap CDKs")
                .setInitialMax(total)
                .setUnit(" CDKs", 1)
                .setStyle(interactive ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(interactive ? 100 : 60_000)
                .setMaxRenderedLength(WIDTH)
                .setConsumer(new WriterConsumer(sink, interactive))
                .hideEta()
                .build();
        bar.stepTo(done);
    }

    @Override
    public synchronized void rewrapped(int done, int total) {
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
        }
    }

    /** Writes rendered bars to a writer: redrawn in place on a terminal, else only the last one. */
    private static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter sink;
        private final boolean interactive;
        private String last;

        WriterConsumer(PrintWriter sink, boolean interactive) {
            this.sink = sink;
            this.interactive = interactive;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String rendered) {
            last = rendered;
            if (interactive) {
                sink.print('\r');
                sink.print(rendered);
                sink.flush();
            }
        }

        @Override
        public void clear() {
            // nothing to clear: the final state stays visible
        }

        @Override
        public void close() {
            if (interactive) {
                sink.println();
            } else if (last != null) {
                sink.println(last.strip());
            }
            sink.flush();
        }
    }
}
