package dev.dataenc.report;

import dev.dataenc.control.lifecycle.WrappingRemoval;

import java.util.List;

/**
 * {@code dataenc remove-wrappings <keystore> [--dry-run] --json}.
 *
 * @param schemaVersion {@value ReportDocument#SCHEMA_VERSION}
 * @param command       {@code "remove-wrappings"}
 * @param keystore      the keystore whose wrappings were (would be) removed
 * @param dryRun        whether nothing was changed
 * @param removed       CDKs whose wrapping by the keystore was (would be) removed
 * @param kept          CDKs that keep it (their only usable wrapping), one line each with why
 */
public record WrappingRemovalDocument(int schemaVersion, String command, String keystore, boolean dryRun,
                                      List<String> removed, List<String> kept) implements ReportDocument {

    public WrappingRemovalDocument {
        removed = List.copyOf(removed);
        kept = List.copyOf(kept);
    }

    /** The JSON view of {@code r}. */
    public static WrappingRemovalDocument of(String keystore, WrappingRemoval.Result r) {
        return new WrappingRemovalDocument(SCHEMA_VERSION, "remove-wrappings", keystore, r.dryRun(),
                r.removed().stream().map(Object::toString).toList(), r.kept());
    }
}
