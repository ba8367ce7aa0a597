package dev.dataenc.control.lifecycle;

import dev.dataenc.envelope.VerifiedUnwrap;
import dev.dataenc.control.KeystoreSet;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The explicit, separate step that removes a keystore's old wrappings after a switch (so the
 * keystore can be retired). A wrapping is removed only when another wrapping of the same CDK is
 * proven to unwrap with an available keystore; otherwise it is kept and reported. Each CDK's
 * removals and their audit entry are one transaction.
 */
public final class WrappingRemoval {

    /**
     * @param removed CDKs whose wrapping by the keystore was removed (or would be, in a dry run)
     * @param kept    CDKs that keep it because it is their only usable wrapping, with why
     * @param dryRun  true if nothing was changed
     */
    public record Result(List<CdkId> removed, List<String> kept, boolean dryRun) {

        public Result {
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
        }
    }

    private final JdbcCdkRegistry registry;
    private final KeystoreSet keystores;
    private final JdbcAuditTrail audit;
    private final Map<CdkId, CdkUsage> usage;
    private final CrashPoint steps;

    /** @param steps step hook for tests ({@code wrapping-removed} after each CDK) */
    public WrappingRemoval(JdbcCdkRegistry registry, KeystoreSet keystores, JdbcAuditTrail audit,
                           Map<CdkId, CdkUsage> usage, CrashPoint steps) {
        this.registry = registry;
        this.keystores = keystores;
        this.audit = audit;
        this.usage = usage;
        this.steps = steps == null ? CrashPoint.NONE : steps;
    }

    public Result remove(String keystoreName, boolean dryRun) {
        List<CdkId> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Cdk cdk : registry.list()) {
            List<Wrapping> mine = cdk.wrappings().stream().filter(w -> w.keystoreName().equals(keystoreName)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            String other = otherWorkingKeystore(cdk, keystoreName);
            if (other == null) {
                kept.add(CdkLines.describe(cdk, usage.getOrDefault(cdk.id(), CdkUsage.NONE))
                        + ": no other available keystore can unwrap it, so its wrapping by '" + keystoreName + "' stays");
                continue;
            }
            if (!dryRun) {
                registry.inTransaction("remove the wrapping by '" + keystoreName + "' from CDK " + cdk.id(), c -> {
                    int n = 0;
                    for (Wrapping w : mine) {
                        n += registry.removeWrapping(c, cdk.id(), w) ? 1 : 0;
                    }
                    if (n > 0) {
                        audit.record(c, AuditAction.WRAPPING_REMOVED, cdk.id(), keystoreName, "removed " + n
                                + " wrapping(s); keystore '" + other + "' was verified to unwrap it");
                    }
                    return null;
                });
                steps.reached("wrapping-removed");
            }
            removed.add(cdk.id());
        }
        return new Result(removed, kept, dryRun);
    }

    private String otherWorkingKeystore(Cdk cdk, String excluded) {
        for (Wrapping w : cdk.wrappings()) {
            if (w.keystoreName().equals(excluded)) {
                continue;
            }
            for (Keystore ks : keystores.opened()) {
                if (ks.name().equals(excluded) || !ks.canUnwrap(w)) {
                    continue;
                }
                try (DataKey key = VerifiedUnwrap.unwrap(ks, cdk, w)) {
                    if (key.cdkId().equals(cdk.id())) {
                        return ks.name();
                    }
                } catch (RuntimeException e) {
                    // try the next one
                }
            }
        }
        return null;
    }
}
