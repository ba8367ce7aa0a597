package dev.dataenc.control.keyswitch;

/** Told how a keystore switch's re-wrap advances (for a progress bar). */
public interface SwitchProgress {

    /** Does nothing. */
    SwitchProgress NONE = new SwitchProgress() {
    };

    /** Re-wrapping begins: {@code total} CDKs need a wrapping under the target, {@code done} have one. */
    default void rewrapStarted(int total, int done) {
    }

    /** One more CDK was re-wrapped and verified. */
    default void rewrapped(int done, int total) {
    }

    /** Re-wrapping is over. */
    default void rewrapFinished() {
    }
}
