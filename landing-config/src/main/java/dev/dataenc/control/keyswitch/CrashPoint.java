package dev.dataenc.control.keyswitch;

/**
 * A hook called at each step boundary of a control-plane change, named for the step just finished:
 * a keystore switch ({@code job-started}, {@code cdk-generated}, {@code cdk-activated},
 * {@code cdk-wrapped} per CDK once its keystore calls returned and before its wrapping is stored,
 * {@code cdk-rewrapped} per CDK once stored and counted, {@code rewrapped}, {@code completed}), a CDK rotation ({@code rotation-checked}
 * once the new key is generated and before the locked activation, {@code rotated}), a wrapping
 * removal ({@code wrapping-removed}, per CDK), a retirement ({@code cdk-retired}, per CDK), a scheduled
 * destruction ({@code destruction-scheduled}, {@code destruction-cancelled}, {@code cdk-destroyed} per CDK)
 * and a cipher transition ({@code transition-started}, {@code cdk-rewrapped} per CDK of phase 1,
 * {@code transition-advanced}, {@code old-wrapping-removed} per wrapping of phase 4). Tests use it to kill the process exactly there, or to
 * pause it there while another node acts (a deterministic race); in production it is {@link #NONE}.
 * When the keystores ask for a concurrent re-wrap ({@code Keystore.rewrapConcurrency()} above 1), {@code cdk-wrapped}
 * is reached on the re-wrap worker threads, several at once; implementations must be thread-safe.
 */
@FunctionalInterface
public interface CrashPoint {

    /** Does nothing. */
    CrashPoint NONE = name -> { };

    /** Called when the step {@code name} has been persisted. */
    void reached(String name);
}
