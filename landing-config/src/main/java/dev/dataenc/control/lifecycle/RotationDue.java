package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.util.Objects;

/**
 * The ACTIVE CDK is due for rotation under the configured policy.
 *
 * @param cdkId  the ACTIVE CDK that is due (a rotation replaces it only if it is still ACTIVE)
 * @param reason why, e.g. {@code age 91 days >= 90} or {@code 4294967296 encryptions >= 4294967296}
 */
public record RotationDue(CdkId cdkId, String reason) {

    public RotationDue {
        Objects.requireNonNull(cdkId, "cdkId");
        Objects.requireNonNull(reason, "reason");
    }
}
