package dev.dataenc.report;

import dev.dataenc.control.lifecycle.VerifyReport;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code dataenc verify --json}: every CDK in use unwrapped with every available keystore holding a wrapping of it.
 *
 * @param schemaVersion  {@value ReportDocument#SCHEMA_VERSION}
 * @param command        {@code "verify"}
 * @param ok             true when no CDK is at risk (the command exits 1 otherwise)
 * @param checked        CDKs checked (ACTIVE and DECRYPT_ONLY)
 * @param unwrapped      of those, how many an available keystore unwraps
 * @param atRisk         CDKs no available keystore can unwrap, with why and what they protect
 * @param singleWrapping CDKs only one available keystore can unwrap (a single point of failure), one line each
 */
public record VerifyDocument(int schemaVersion, String command, boolean ok, int checked, int unwrapped,
                             List<AtRisk> atRisk, List<String> singleWrapping) implements ReportDocument {

    /**
     * A CDK at risk.
     *
     * @param cdkId  the CDK
     * @param detail why no keystore unwraps it and what it protects
     */
    public record AtRisk(String cdkId, String detail) {
    }

    public VerifyDocument {
        atRisk = List.copyOf(atRisk);
        singleWrapping = List.copyOf(singleWrapping);
    }

    /** The JSON view of {@code r}. */
    public static VerifyDocument of(VerifyReport r) {
        List<AtRisk> atRisk = new ArrayList<>();
        for (int i = 0; i < r.unreadableIds().size(); i++) {
            atRisk.add(new AtRisk(r.unreadableIds().get(i).toString(), r.unreadable().get(i)));
        }
        return new VerifyDocument(SCHEMA_VERSION, "verify", r.ok(), r.checked(), r.checked() - r.unreadable().size(),
                atRisk, r.singleCopy());
    }
}
