package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code dataenc verify} found: each CDK in use was unwrapped with every available keystore
 * that holds a wrapping of it.
 *
 * @param checked      CDKs checked (ACTIVE and DECRYPT_ONLY)
 * @param unreadable   CDKs no available keystore could unwrap, with why and what they protect: data at risk now
 * @param singleCopy   CDKs only one available keystore can unwrap: a single point of failure
 */
public record VerifyReport(int checked, List<String> unreadable, List<String> singleCopy, List<CdkId> unreadableIds) {

    public VerifyReport {
        unreadable = List.copyOf(unreadable);
        singleCopy = List.copyOf(singleCopy);
        unreadableIds = List.copyOf(unreadableIds);
    }

    /** True if every CDK in use can be unwrapped. */
    public boolean ok() {
        return unreadable.isEmpty();
    }

    /** The lines the CLI prints. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("checked " + checked + " CDKs in use: " + (checked - unreadable.size()) + " unwrap, "
                + unreadable.size() + " at risk");
        unreadable.forEach(u -> out.add("  AT RISK  " + u));
        singleCopy.forEach(s -> out.add("  one wrapping only  " + s));
        return out;
    }
}
