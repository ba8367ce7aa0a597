package dev.dataenc.console;

import dev.dataenc.cdk.CdkStatus;

import io.javalin.http.BadRequestResponse;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The {@code status} filter of the CDK page and {@code /api/cdks}: repeatable or comma-separated, any case. */
public final class CdkStatuses {

    private CdkStatuses() {
    }

    /**
     * The statuses named (empty: all).
     *
     * @throws BadRequestResponse naming the valid statuses for an unknown one
     */
    public static Set<CdkStatus> parse(List<String> values) {
        Set<CdkStatus> wanted = EnumSet.noneOf(CdkStatus.class);
        for (String value : values) {
            for (String one : value.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                try {
                    wanted.add(CdkStatus.valueOf(one.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
                } catch (IllegalArgumentException e) {
                    throw new BadRequestResponse("status '" + one.strip() + "' is not a CDK status; use one of "
                            + EnumSet.allOf(CdkStatus.class));
                }
            }
        }
        return wanted;
    }
}
