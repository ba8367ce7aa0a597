package dev.dataenc.report;

import dev.dataenc.control.lifecycle.CdkUsage;

/**
 * Encryptions recorded in the registry under one CDK (flushed by every node).
 *
 * @param propertyValues property values encrypted
 * @param blobs          BLOBs encrypted
 * @param total          both
 */
public record UsageInfo(long propertyValues, long blobs, long total) {

    /** The JSON view of {@code u} ({@link CdkUsage#NONE} when nothing was recorded). */
    public static UsageInfo of(CdkUsage u) {
        CdkUsage usage = u == null ? CdkUsage.NONE : u;
        return new UsageInfo(usage.propertyValues(), usage.blobs(), usage.total());
    }
}
