package dev.dataenc.error;

import dev.dataenc.cdk.CdkId;

/**
 * A CDK whose destruction is scheduled ({@code dataenc destroy-cdk}) was asked for: during the waiting
 * period it is refused for any use, because a retired CDK should protect no data. That something still
 * needs it means data under it exists: the destruction must be cancelled before the waiting period ends.
 * A subtype of {@link CdkUnavailableException}.
 */
public class CdkDestructionScheduledException extends CdkUnavailableException {

    public CdkDestructionScheduledException(CdkId cdkId) {
        super(cdkId, "CDK " + cdkId + " is scheduled for destruction ('dataenc destroy-cdk'), so its use is refused;"
                + " this use shows that data encrypted under it still exists. Cancel the destruction now with"
                + " 'dataenc destroy-cdk --cancel " + cdkId + "' before the waiting period ends (it becomes RETIRED"
                + " again and decrypts), then re-encrypt that data under the ACTIVE CDK ('dataenc migrate').", null);
    }
}
