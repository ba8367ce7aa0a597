package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.WrappingRemoval;
import dev.dataenc.error.DataEncException;
import dev.dataenc.report.WrappingRemovalDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks and report lines of {@code dataenc rotate-cdk} and {@code dataenc remove-wrappings}, shared with the web
 * console so that both refuse the same things with the same words.
 */
public final class CdkActions {

    private CdkActions() {
    }

    /** What a rotation did, one line each. */
    public static List<String> rotatedLines(Optional<Cdk> old, Cdk cdk) {
        List<String> out = new ArrayList<>();
        String keystore = cdk.wrappings().isEmpty() ? "?" : cdk.wrappings().get(0).keystoreName();
        out.add("rotated: ACTIVE CDK " + old.map(c -> c.id() + " -> ").orElse("(none) -> ") + cdk.id()
                + " (wrapped by keystore '" + keystore + "')");
        old.ifPresent(c -> out.add("  " + c.id() + " is now DECRYPT_ONLY: data it encrypted still decrypts"));
        return out;
    }

    /**
     * Why {@code keystore} cannot be named to remove wrappings: neither configured nor wrapping any CDK (a typo), or
     * empty if it can (a keystore removed from the configuration can still be named while wrappings by it remain).
     */
    public static Optional<String> unknownKeystore(DataEncConfig cfg, ControlPlane plane, String keystore) {
        if (cfg.keystores().containsKey(keystore)) {
            return Optional.empty();
        }
        Set<String> inRegistry = new TreeSet<>();
        plane.registry().list().forEach(c -> c.wrappings().forEach(w -> inRegistry.add(w.keystoreName())));
        if (inRegistry.contains(keystore)) {
            return Optional.empty();
        }
        return Optional.of("keystore '" + keystore + "' is neither configured nor wraps any CDK; configured keystores: "
                + String.join(", ", cfg.keystores().keySet()) + (inRegistry.isEmpty() ? ""
                : "; keystores with wrappings in the registry: " + String.join(", ", inRegistry)));
    }

    /**
     * Removes (or with {@code dryRun} lists) {@code keystore}'s wrappings where another available keystore was proven
     * to unwrap the same CDK.
     *
     * @throws DataEncException if it is unknown or the active keystore; nothing changed
     */
    public static WrappingRemovalDocument removeWrappings(ControlPlane plane, String keystore, boolean dryRun) {
        Optional<String> unknown = unknownKeystore(plane.config(), plane, keystore);
        if (unknown.isPresent()) {
            throw new DataEncException(unknown.get());
        }
        String active = plane.jobs().state().orElseThrow().activeKeystore();
        if (active.equals(keystore)) {
            throw new DataEncException("keystore '" + keystore + "' is the active keystore; its wrappings are the ones"
                    + " in use. Switch to another keystore first (dataenc switch <keystore>), then remove these.");
        }
        WrappingRemoval.Result r = plane.removeWrappings(keystore, dryRun);
        return WrappingRemovalDocument.of(keystore, r);
    }
}
