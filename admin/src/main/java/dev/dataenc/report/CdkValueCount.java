package dev.dataenc.report;

/**
 * How many values of a record source are under one CDK.
 *
 * @param cdkId  the CDK
 * @param status its status in the registry, or {@code UNKNOWN} if the registry does not know it
 * @param values values under it
 */
public record CdkValueCount(String cdkId, String status, long values) {
}
