package dev.dataenc.console.switching;

import dev.dataenc.control.keyswitch.SwitchProgress;

import java.time.Instant;
import java.util.List;

/**
 * One keystore switch started from the console: its live re-wrap progress (it is the switch's
 * {@link SwitchProgress}) and, once over, its result. Readers may wait for a change ({@link #awaitChange}).
 */
public final class SwitchRun implements SwitchProgress {

    /** Where a run is. */
    public enum State {
        /** Running (opening the keystores, checking the guards, re-wrapping). */
        RUNNING,
        /** Done: the target is the active keystore. */
        COMPLETED,
        /** The guards refused it: nothing was changed. */
        REFUSED,
        /** It failed after it may have started: the message says how to resume. */
        FAILED
    }

    /**
     * What a reader sees at one moment.
     *
     * @param id      the run
     * @param target  the keystore switched to
     * @param actor   who started it
     * @param started when
     * @param state   where it is
     * @param done    CDKs with a wrapping under the target
     * @param total   CDKs that need one (0 until re-wrapping begins)
     * @param lines   the result, one line each (empty while running)
     * @param version increases with every change
     */
    public record Snapshot(String id, String target, String actor, Instant started, State state, int done, int total,
                           List<String> lines, long version) {

        public Snapshot {
            lines = List.copyOf(lines);
        }

        /** Whether it is over. */
        public boolean over() {
            return state != State.RUNNING;
        }

        /** Percent of the re-wrap done (100 when there is nothing to re-wrap and it is over). */
        public int percent() {
            return total == 0 ? (over() ? 100 : 0) : (int) (100L * done / total);
        }
    }

    private Snapshot now;

    SwitchRun(String id, String target, String actor, Instant started) {
        this.now = new Snapshot(id, target, actor, started, State.RUNNING, 0, 0, List.of(), 0);
    }

    /** Its state now. */
    public synchronized Snapshot snapshot() {
        return now;
    }

    /** Waits until its version is past {@code seen} or it is over, at most {@code millis}; returns the state then. */
    public synchronized Snapshot awaitChange(long seen, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (now.version() <= seen && !now.over()) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return now;
    }

    @Override
    public void rewrapStarted(int total, int done) {
        update(State.RUNNING, done, total, List.of());
    }

    @Override
    public void rewrapped(int done, int total) {
        update(State.RUNNING, done, total, List.of());
    }

    synchronized void finish(State state, List<String> lines) {
        int total = now.total();
        int done = state == State.COMPLETED ? total : now.done();
        update(state, done, total, lines);
    }

    private synchronized void update(State state, int done, int total, List<String> lines) {
        now = new Snapshot(now.id(), now.target(), now.actor(), now.started(), state, done, total, lines,
                now.version() + 1);
        notifyAll();
    }
}
