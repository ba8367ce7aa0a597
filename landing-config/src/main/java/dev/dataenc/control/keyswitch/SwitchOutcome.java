package dev.dataenc.control.keyswitch;

/**
 * How a keystore switch request ended.
 *
 * @param job     the job (null if nothing had to be done)
 * @param how     what happened
 * @param rewrapped CDKs this call re-wrapped
 */
public record SwitchOutcome(SwitchJob job, How how, int rewrapped) {

    /** What happened. */
    public enum How {
        /** The target was already the active keystore; nothing to do. */
        ALREADY_ACTIVE,
        /** This call ran the switch from the start. */
        COMPLETED,
        /** This call finished a switch that an earlier (crashed) process or another node had started. */
        RESUMED,
        /** Another node ran the same switch; this call waited for it to complete. */
        JOINED
    }
}
