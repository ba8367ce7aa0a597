package dev.dataenc.control.lifecycle;

/**
 * How much data a CDK protects, as counted by the nodes that encrypted under it (counts, never contents).
 *
 * @param propertyValues property values encrypted under it
 * @param blobs          BLOBs encrypted under it
 */
public record CdkUsage(long propertyValues, long blobs) {

    /** No recorded use. */
    public static final CdkUsage NONE = new CdkUsage(0, 0);

    /**
     * E.g. {@code 1207 encryptions recorded (1204 property values and 3 BLOBs)}: what the usage counters say was
     * encrypted, not how many values a scan found (values may since have been deleted or re-encrypted).
     */
    public String describe() {
        return total() + " encryption" + (total() == 1 ? "" : "s") + " recorded (" + propertyValues + " property value"
                + (propertyValues == 1 ? "" : "s") + " and " + blobs + " BLOB" + (blobs == 1 ? "" : "s") + ")";
    }

    /** Total encryptions. */
    public long total() {
        return propertyValues + blobs;
    }
}
