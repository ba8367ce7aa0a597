package dev.dataenc.report;

import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.ControlPlane;

import java.util.List;
import java.util.Set;

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

    /** The CDKs of {@code plane} with one of the {@code wanted} statuses (all when empty), oldest first. */
    public static CdkListDocument of(ControlPlane plane, Set<CdkStatus> wanted) {
        List<CdkInfo> cdks = CdkCatalog.all(plane).stream()
                .filter(c -> wanted.isEmpty() || wanted.contains(CdkStatus.valueOf(c.status()))).toList();
        return of(wanted.stream().map(Enum::name).toList(), cdks);
    }
}
