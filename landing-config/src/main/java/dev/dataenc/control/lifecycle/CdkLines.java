package dev.dataenc.control.lifecycle;

import dev.dataenc.control.keyswitch.SwitchRequest;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.keystore.Wrapping;

import java.util.List;
import java.util.stream.Collectors;

/** One-line descriptions of CDKs for guard messages and reports: ids, status, wrappings, usage counts. */
public final class CdkLines {

    private static final int MAX_LISTED = 20;

    private CdkLines() {
    }

    public static String describe(Cdk cdk, CdkUsage usage) {
        String by = cdk.wrappings().stream().map(Wrapping::keystoreName).distinct().map(n -> "'" + n + "'")
                .collect(Collectors.joining(", "));
        return "CDK " + cdk.id() + " (" + cdk.status() + ", wrapped by " + by + ", " + usage.describe() + ")";
    }

    public static String list(List<Cdk> cdks, SwitchRequest request) {
        String shown = cdks.stream().limit(MAX_LISTED).map(c -> describe(c, request.usageOf(c.id())))
                .collect(Collectors.joining("; "));
        return cdks.size() > MAX_LISTED ? shown + "; and " + (cdks.size() - MAX_LISTED) + " more" : shown;
    }
}
