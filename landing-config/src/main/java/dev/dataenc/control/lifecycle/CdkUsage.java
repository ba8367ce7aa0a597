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

    /** E.g. {@code 1204 property values and 3 BLOBs}. */
    public String describe() {
        return propertyValues + " property value" + (propertyValues == 1 ? "" : "s") + " and " + blobs + " BLOB"
                + (blobs == 1 ? "" : "s");
    }

    /** Total encryptions. */
    public long total() {
        return propertyValues + blobs;
    }
}
