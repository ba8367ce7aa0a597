package dev.dataenc.control.lifecycle;

import dev.dataenc.control.ControlPlane;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.RotationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a {@link RotationPolicy} to the ACTIVE CDK: it is due when it is at least
 * {@code max-age} old (from its creation time) or has encrypted at least {@code max-messages}
 * values and BLOBs (the counts in the registry plus what this process has not flushed yet).
 * Pure decision; rotating is {@link ControlPlane#rotateIfDue()}.
 */
public final class CdkRotationPolicy {

    private final RotationPolicy policy;
    private final Clock clock;

    /** The policy, judged at the time {@code clock} tells. */
    public CdkRotationPolicy(RotationPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The configured policy. */
    public RotationPolicy policy() {
        return policy;
    }

    /** The ACTIVE CDK's age now. */
    public Duration age(Cdk active) {
        Duration age = Duration.between(active.createdAt(), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }

    /**
     * Whether {@code active} is due, and why (age is checked first).
     *
     * @param encryptions how many values and BLOBs it has encrypted so far
     * @throws IllegalArgumentException if {@code active} is not ACTIVE
     */
    public Optional<RotationDue> due(Cdk active, long encryptions) {
        if (active.status() != CdkStatus.ACTIVE) {
            throw new IllegalArgumentException("CDK " + active.id() + " is " + active.status() + ", not ACTIVE");
        }
        Duration age = age(active);
        if (age.compareTo(policy.maxAge()) >= 0) {
            return Optional.of(new RotationDue(active.id(), "age " + age.toDays() + " days >= "
                    + policy.maxAge().toDays()));
        }
        if (encryptions >= policy.maxMessages()) {
            return Optional.of(new RotationDue(active.id(), encryptions + " encryptions >= " + policy.maxMessages()));
        }
        return Optional.empty();
    }
}
