package dev.dataenc.report;

import dev.dataenc.control.lifecycle.RetirementResult;

import java.util.List;

/**
 * {@code dataenc retire-cdks [--dry-run] --json}.
 *
 * @param schemaVersion {@value ReportDocument#SCHEMA_VERSION}
 * @param command       {@code "retire-cdks"}
 * @param dryRun        whether nothing was changed
 * @param retired       DECRYPT_ONLY CDKs that became (would become) RETIRED, oldest first
 * @param kept          DECRYPT_ONLY CDKs that stay, each with why, oldest first
 */
public record RetirementDocument(int schemaVersion, String command, boolean dryRun, List<String> retired,
                                 List<Kept> kept) implements ReportDocument {

    /**
     * A CDK that stays DECRYPT_ONLY.
     *
     * @param cdkId  the CDK
     * @param reason why it cannot be retired yet
     */
    public record Kept(String cdkId, String reason) {
    }

    public RetirementDocument {
        retired = List.copyOf(retired);
        kept = List.copyOf(kept);
    }

    /** The JSON view of {@code r}. */
    public static RetirementDocument of(RetirementResult r) {
        return new RetirementDocument(SCHEMA_VERSION, "retire-cdks", r.dryRun(),
                r.retired().stream().map(Object::toString).toList(),
                r.kept().entrySet().stream().map(e -> new Kept(e.getKey().toString(), e.getValue())).toList());
    }
}
