package dev.dataenc.control.keyswitch;

/**
 * A hook called at each step boundary of a keystore switch, named for the step just finished
 * ({@code job-started}, {@code cdk-generated}, {@code cdk-activated}, {@code cdk-rewrapped},
 * {@code rewrapped}, {@code completed}). Tests use it to kill the process exactly there; in
 * production it is {@link #NONE}.
 */
@FunctionalInterface
public interface CrashPoint {

    /** Does nothing. */
    CrashPoint NONE = name -> { };

    /** Called when the step {@code name} has been persisted. */
    void reached(String name);
}
