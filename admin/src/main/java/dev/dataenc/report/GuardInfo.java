package dev.dataenc.report;

import dev.dataenc.control.guard.GuardResult;

/**
 * One switch guard's outcome.
 *
 * @param guard   which guard
 * @param passed  whether it allows the switch
 * @param message what it found; for a refusal, why and what to do
 */
public record GuardInfo(String guard, boolean passed, String message) {

    /** The JSON view of {@code r}. */
    public static GuardInfo of(GuardResult r) {
        return new GuardInfo(r.guard(), r.passed(), r.message());
    }
}
