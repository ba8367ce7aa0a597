package dev.dataenc.control.guard;

import java.util.Objects;

/**
 * The outcome of one guard.
 *
 * @param guard   which guard
 * @param passed  true if it allows the switch
 * @param message what it found; for a refusal, why and what to do
 */
public record GuardResult(String guard, boolean passed, String message) {

    public GuardResult {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(message, "message");
    }

    static GuardResult pass(String guard, String message) {
        return new GuardResult(guard, true, message);
    }

    static GuardResult refuse(String guard, String message) {
        return new GuardResult(guard, false, message);
    }

    /** {@code [ok] guard: message} or {@code [REFUSED] guard: message}. */
    public String line() {
        return (passed ? "[ok]      " : "[REFUSED] ") + guard + ": " + message;
    }
}
