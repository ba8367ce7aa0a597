package dev.dataenc.kms;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed AWS KMS key or alias ARN, {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID} or
 * {@code arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME}.
 *
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...
 * @param region    region of the key
 * @param account   12-digit account id
 * @param resource  {@code key/ID} or {@code alias/NAME}
 */
public record KeyArn(String partition, String region, String account, String resource) {

    private static final Pattern ARN = Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):((key|alias)/.+)");

    /** Parses an ARN; empty if {@code text} is not a KMS key or alias ARN. */
    public static Optional<KeyArn> parse(String text) {
        Matcher m = ARN.matcher(text);
        return m.matches() ? Optional.of(new KeyArn(m.group(1), m.group(2), m.group(3), m.group(4))) : Optional.empty();
    }

    /** True for {@code key/ID} ARNs (what KMS returns as the resolved {@code KeyId}). */
    public boolean isKey() {
        return resource.startsWith("key/");
    }

    /** True when both are in the same partition, region and account. */
    public boolean sameAccountAndRegion(KeyArn other) {
        return partition.equals(other.partition) && region.equals(other.region) && account.equals(other.account);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":kms:" + region + ":" + account + ":" + resource;
    }
}
