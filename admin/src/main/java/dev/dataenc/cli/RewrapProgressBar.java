package dev.dataenc.cli;

import dev.dataenc.control.keyswitch.SwitchProgress;

import java.io.PrintWriter;

/**
 * Shows a keystore switch's re-wrap as a {@link CliProgressBar} ({@code re-wrap CDKs 100% 3/3 CDKs}).
 * {@link #close()} ends a bar the switch left open (it failed).
 */
final class RewrapProgressBar implements SwitchProgress, AutoCloseable {

    private final CliProgressBar bar;

    RewrapProgressBar(PrintWriter sink, boolean interactive) {
        this.bar = new CliProgressBar(sink, interactive, "re-wrap CDKs", "CDKs", 80);
    }

    @Override
    public void rewrapStarted(int total, int done) {
        bar.start(total, done, b -> b.setUpdateIntervalMillis(100).hideEta());
    }

    @Override
    public void rewrapped(int done, int total) {
        bar.step(done, total);
    }

    @Override
    public void rewrapFinished() {
        bar.close();
    }

    @Override
    public void close() {
        bar.close();
    }
}
