package dev.dataenc.migrate;

/**
 * A half-open range of keys in the source's key order.
 *
 * @param from lowest key included, or null for no lower bound
 * @param to   first key excluded, or null for no upper bound
 */
public record KeyRange(String from, String to) {

    /** Every key. */
    public static final KeyRange ALL = new KeyRange(null, null);

    @Override
    public String toString() {
        return "[" + (from == null ? "-inf" : from) + ", " + (to == null ? "+inf" : to) + ")";
    }
}
