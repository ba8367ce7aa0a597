package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.error.CdkDestroyedException;
import dev.dataenc.error.CdkDestructionScheduledException;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Unwraps a CDK with the configured keystores: tries each of its wrappings with each keystore
 * that {@link Keystore#canUnwrap(Wrapping) can unwrap} it, in wrapping order; the first success
 * wins. Makes no registry calls and caches nothing. Thread-safe.
 */
public final class CdkUnwrapper {

    private final List<Keystore> keystores;
    private final LongAdder attempts = new LongAdder();

    /** An unwrapper over the given keystores (tried in this order for each wrapping). */
    public CdkUnwrapper(Collection<Keystore> keystores) {
        this.keystores = List.copyOf(Objects.requireNonNull(keystores, "keystores"));
    }

    /**
     * The plaintext key of {@code cdk}; the caller owns it and must destroy it.
     *
     * @throws CdkDestroyedException if the CDK was destroyed on purpose
     * @throws CdkDestructionScheduledException if the CDK is waiting to be destroyed (its use is refused)
     * @throws CdkUnavailableException listing every wrapping and why it could not be used
     */
    public DataKey unwrap(Cdk cdk) {
        Objects.requireNonNull(cdk, "cdk");
        if (cdk.status() == CdkStatus.DESTROYED) {
            throw new CdkDestroyedException(cdk.id(), cdk.destroyedAt());
        }
        if (cdk.status() == CdkStatus.DESTRUCTION_SCHEDULED) {
            throw new CdkDestructionScheduledException(cdk.id());
        }
        List<String> reasons = new ArrayList<>();
        RuntimeException last = null;
        for (Wrapping w : cdk.wrappings()) {
            boolean tried = false;
            for (Keystore ks : keystores) {
                if (!ks.canUnwrap(w)) {
                    continue;
                }
                tried = true;
                attempts.increment();
                try {
                    DataKey key = ks.unwrap(cdk.id(), w);
                    if (cdk.id().equals(key.cdkId())) {
                        return key;
                    }
                    key.destroy();
                    reasons.add(describe(w) + ": keystore '" + ks.name() + "' returned a key of another CDK ("
                            + key.cdkId() + ")");
                } catch (RuntimeException e) {
                    if (last != null) {
                        e.addSuppressed(last);
                    }
                    last = e;
                    reasons.add(describe(w) + ": keystore '" + ks.name() + "' failed: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            if (!tried) {
                reasons.add(describe(w) + ": no configured keystore can unwrap it (configured: "
                        + configuredNames() + ")");
            }
        }
        throw new CdkUnavailableException(cdk.id(), "CDK " + cdk.id() + " cannot be unwrapped by any configured"
                + " keystore. " + String.join("; ", reasons) + ". Configure (or repair) a keystore that holds one"
                + " of these wrappings; data encrypted under this CDK cannot be read until then.", last);
    }

    /** Number of unwrap calls made to keystores so far. */
    public long attempts() {
        return attempts.sum();
    }

    private String configuredNames() {
        return keystores.isEmpty() ? "none" : String.join(", ", keystores.stream().map(Keystore::name).toList());
    }

    private static String describe(Wrapping w) {
        return "wrapping by keystore '" + w.keystoreName() + "' (master key '" + w.masterKeyId() + "'"
                + (w.masterKeyVersion().isEmpty() ? "" : ", version " + w.masterKeyVersion()) + ")";
    }

    @Override
    public String toString() {
        return "CdkUnwrapper[keystores=" + configuredNames() + ", attempts=" + attempts() + "]";
    }
}
