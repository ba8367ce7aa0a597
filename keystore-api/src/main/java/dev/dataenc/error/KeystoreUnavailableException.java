package dev.dataenc.error;

import dev.dataenc.keystore.MasterKeyState;

/**
 * A keystore cannot wrap or unwrap right now: it is unreachable, or its master key is not
 * usable (disabled, pending deletion, external key store disconnected, ...). The state and
 * a remedy are part of the message; {@link #state()} gives the state to code.
 */
public class KeystoreUnavailableException extends DataEncException {

    private final String keystoreName;
    private final MasterKeyState state;

    public KeystoreUnavailableException(String keystoreName, MasterKeyState state, String message) {
        this(keystoreName, state, message, null);
    }

    public KeystoreUnavailableException(String keystoreName, MasterKeyState state, String message, Throwable cause) {
        super(message, cause);
        this.keystoreName = keystoreName;
        this.state = state;
    }

    /** Name of the configured keystore that failed. */
    public String keystoreName() {
        return keystoreName;
    }

    /** State of its master key as far as it is known ({@link MasterKeyState#UNREACHABLE} if not). */
    public MasterKeyState state() {
        return state;
    }
}
