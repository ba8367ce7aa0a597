package dev.dataenc.control.lifecycle;

import dev.dataenc.error.CdkCheckFailedException;
import dev.dataenc.envelope.VerifiedUnwrap;
import dev.dataenc.control.KeystoreSet;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks that CDKs in use can really be unwrapped: tries every wrapping with every keystore that claims it. */
public final class CdkVerifier {

    private final KeystoreSet keystores;
    private final Map<CdkId, CdkUsage> usage;

    public CdkVerifier(KeystoreSet keystores, Map<CdkId, CdkUsage> usage) {
        this.keystores = keystores;
        this.usage = usage;
    }

    public VerifyReport verify(List<Cdk> cdks) {
        int checked = 0;
        List<String> unreadable = new ArrayList<>();
        List<CdkId> unreadableIds = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (Cdk cdk : cdks) {
            if (!cdk.status().protectsData()) {
                continue;
            }
            checked++;
            List<String> working = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Wrapping w : cdk.wrappings()) {
                String unwrappedBy = tryUnwrap(cdk, w, problems);
                if (unwrappedBy != null) {
                    working.add(unwrappedBy);
                }
            }
            String line = CdkLines.describe(cdk, usage.getOrDefault(cdk.id(), CdkUsage.NONE));
            if (working.isEmpty()) {
                unreadable.add(line + ": " + (problems.isEmpty() ? "no configured keystore holds any of its wrappings"
                        : String.join("; ", problems)));
                unreadableIds.add(cdk.id());
            } else if (working.size() == 1) {
                single.add(line + ": only keystore '" + working.get(0) + "' can unwrap it");
            }
        }
        return new VerifyReport(checked, unreadable, single, unreadableIds);
    }

    /** Name of the keystore that unwrapped this wrapping, or null (with the reason added to {@code problems}). */
    private String tryUnwrap(Cdk cdk, Wrapping w, List<String> problems) {
        boolean claimed = false;
        for (Keystore ks : keystores.opened()) {
            if (!ks.canUnwrap(w)) {
                continue;
            }
            claimed = true;
            try (DataKey key = VerifiedUnwrap.unwrap(ks, cdk, w)) {
                if (key.cdkId().equals(cdk.id())) {
                    return ks.name();
                }
            } catch (CdkCheckFailedException e) {
                problems.add("wrapping by '" + w.keystoreName() + "' FAILS THE KEY CHECK (it does not unwrap to the key"
                        + " this CDK was created with; the registry may have been tampered with): " + e.getMessage());
            } catch (RuntimeException e) {
                problems.add("wrapping by '" + w.keystoreName() + "': " + e.getMessage());
            }
        }
        if (!claimed) {
            problems.add("wrapping by '" + w.keystoreName() + "': " + keystores.failure(w.keystoreName())
                    .map(e -> "keystore cannot be opened: " + e.getMessage()).orElse("keystore not configured"));
        }
        return null;
    }
}
