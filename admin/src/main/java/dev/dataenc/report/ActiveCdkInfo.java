package dev.dataenc.report;

/**
 * The ACTIVE CDK against the rotation policy.
 *
 * @param id                  its id
 * @param createdAt           when it was generated
 * @param ageDays             its age in whole days
 * @param encryptions         encryptions recorded under it
 * @param maxAgeDays          the policy's maximum age in days
 * @param maxMessages         the policy's maximum encryptions
 * @param rotationDue         whether the policy says it is due for rotation
 * @param rotationDueReason   why it is due, or null
 */
public record ActiveCdkInfo(String id, String createdAt, long ageDays, long encryptions, long maxAgeDays,
                            long maxMessages, boolean rotationDue, String rotationDueReason) {
}
