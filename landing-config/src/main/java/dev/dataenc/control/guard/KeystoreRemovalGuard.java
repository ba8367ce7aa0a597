package dev.dataenc.control.guard;

import dev.dataenc.control.KeystoreSet;
import dev.dataenc.control.lifecycle.CdkLines;
import dev.dataenc.control.lifecycle.CdkUsage;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.KeystoreSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A configuration change may not remove (or re-point) a keystore or custom cipher that holds the
 * only usable wrapping of a CDK still in use: every CDK that can be unwrapped with the keystores in
 * force must still be unwrappable with the new ones.
 */
public final class KeystoreRemovalGuard {

    /** Why the change would strand CDKs, or empty if it would not. */
    public Optional<String> check(List<Cdk> cdks, KeystoreSet current, KeystoreSet next, Map<CdkId, CdkUsage> usage) {
        List<String> changed = new ArrayList<>();
        current.settings().forEach((name, s) -> {
            KeystoreSettings n = next.settings().get(name);
            if (n == null) {
                changed.add("'" + name + "' removed");
            } else if (!Objects.equals(n, s)) {
                changed.add("'" + name + "' changed");
            } else if (current.get(name).isPresent() && next.get(name).isEmpty()) {
                changed.add("'" + name + "' can no longer be opened");
            }
        });
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        List<String> lost = new ArrayList<>();
        for (Cdk cdk : cdks) {
            if (cdk.status().protectsData() && StrandedCdkGuard.hasUsableWrapping(cdk, current)
                    && !StrandedCdkGuard.hasUsableWrapping(cdk, next)) {
                lost.add(CdkLines.describe(cdk, usage.getOrDefault(cdk.id(), CdkUsage.NONE)));
            }
        }
        if (lost.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("keystore " + String.join(", ", changed) + " would leave " + lost.size() + " CDK"
                + (lost.size() == 1 ? "" : "s") + " in use without a usable wrapping: "
                + lost.stream().limit(20).collect(Collectors.joining("; "))
                + ". Keep the keystore until its CDKs are re-wrapped elsewhere ('dataenc switch') or retired.");
    }
}
