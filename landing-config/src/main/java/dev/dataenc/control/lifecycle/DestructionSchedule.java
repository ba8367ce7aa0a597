package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;
import java.util.Objects;

/**
 * A CDK waiting to be destroyed.
 *
 * @param cdkId the CDK (status DESTRUCTION_SCHEDULED)
 * @param dueAt when its waiting period ends: from then on {@code dataenc destroy-cdk --complete-due} deletes its
 *              wrappings
 * @param usage what the usage counters say it encrypted (counts, never contents)
 */
public record DestructionSchedule(CdkId cdkId, Instant dueAt, CdkUsage usage) {

    public DestructionSchedule {
        Objects.requireNonNull(cdkId, "cdkId");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(usage, "usage");
    }

    /** Whether the waiting period has ended at {@code now}. */
    public boolean isDue(Instant now) {
        return !dueAt.isAfter(now);
    }
}
