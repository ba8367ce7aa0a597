package dev.dataenc.report;

import java.util.List;

/**
 * {@code dataenc cdk list [--status S]... --json}: the registry's CDKs, oldest first.
 *
 * @param schemaVersion {@value ReportDocument#SCHEMA_VERSION}
 * @param command       {@code "cdk list"}
 * @param statusFilter  the statuses asked for; empty means all
 * @param cdks          the CDKs with one of those statuses, oldest first
 */
public record CdkListDocument(int schemaVersion, String command, List<String> statusFilter, List<CdkInfo> cdks)
        implements ReportDocument {

    public CdkListDocument {
        statusFilter = List.copyOf(statusFilter);
        cdks = List.copyOf(cdks);
    }

    /** The document for {@code cdks} listed under {@code statusFilter}. */
    public static CdkListDocument of(List<String> statusFilter, List<CdkInfo> cdks) {
        return new CdkListDocument(SCHEMA_VERSION, "cdk list", statusFilter, cdks);
    }
}
