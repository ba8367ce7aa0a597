package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkCheckValue;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.error.CdkCheckFailedException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unwraps a CDK with the configured keystores: tries each of its wrappings with each keystore
 * that {@link Keystore#canUnwrap(Wrapping) can unwrap} it, in wrapping order; the first key that
 * passes {@link VerifiedUnwrap} (right CDK id, matching check value) wins. A wrapping whose key
 * fails the check is skipped (and logged); if no wrapping yields a verified key the failure is a
 * {@link CdkCheckFailedException} when some wrapping failed the check, else a
 * {@link CdkUnavailableException}. Makes no registry calls and caches nothing. Thread-safe.
 */
public final class CdkUnwrapper {

    private static final Logger LOG = LoggerFactory.getLogger(CdkUnwrapper.class);

    private final List<Keystore> keystores;
    private final LongAdder attempts = new LongAdder();
    private final OperationObserver observer;

    /** An unwrapper over the given keystores (tried in this order for each wrapping). */
    public CdkUnwrapper(Collection<Keystore> keystores) {
        this(keystores, OperationObserver.NONE);
    }

    /** An unwrapper over the given keystores that reports each keystore call to {@code observer}. */
    public CdkUnwrapper(Collection<Keystore> keystores, OperationObserver observer) {
        this.keystores = List.copyOf(Objects.requireNonNull(keystores, "keystores"));
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * The plaintext key of {@code cdk}; the caller owns it and must destroy it.
     *
     * @throws CdkDestroyedException if the CDK was destroyed on purpose
     * @throws CdkCheckFailedException if a wrapping unwrapped to a key that is not the CDK's, and none to the CDK's
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
        CdkCheckFailedException checkFailure = null;
        for (Wrapping w : cdk.wrappings()) {
            boolean tried = false;
            for (Keystore ks : keystores) {
                if (!ks.canUnwrap(w)) {
                    continue;
                }
                tried = true;
                attempts.increment();
                long start = System.nanoTime();
                try {
                    DataKey key = VerifiedUnwrap.unwrap(ks, cdk, w);
                    observer.keystoreCall(ks.name(), "unwrap", System.nanoTime() - start, null);
                    return key;
                } catch (CdkCheckFailedException e) {
                    observer.keystoreCall(ks.name(), "unwrap", System.nanoTime() - start, e);
                    LOG.warn("CDK {}: {} by keystore '{}' yields a key that is not this CDK's (check value mismatch);"
                            + " it was not used", cdk.id(), describe(w), ks.name());
                    checkFailure = checkFailure == null ? e : checkFailure;
                    reasons.add(describe(w) + ": keystore '" + ks.name() + "' gave a key that fails the CDK's check value");
                    if (last != null) {
                        e.addSuppressed(last);
                    }
                    last = e;
                } catch (RuntimeException e) {
                    observer.keystoreCall(ks.name(), "unwrap", System.nanoTime() - start, e);
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
        if (checkFailure != null) {
            throw new CdkCheckFailedException(cdk.id(), "CDK " + cdk.id() + " has no wrapping that yields its own key"
                    + " among those configured keystores can unwrap. " + String.join("; ", reasons) + ". A wrapping"
                    + " that fails the check value was added or altered in the registry: remove it and investigate;"
                    + " nothing was encrypted or decrypted with it.", last);
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
        return VerifiedUnwrap.describe(w);
    }

    /**
     * The check value to record for a legacy CDK (one without), for an administrator's backfill:
     * unwraps <em>every</em> wrapping that a configured keystore can unwrap, requires at least one
     * and that all give the same key, and returns that key's check value. For a CDK that has a
     * check value it verifies as {@link #unwrap(Cdk)} does and returns it. Never store a value from
     * a CDK whose wrappings disagree.
     *
     * @throws CdkCheckFailedException if two wrappings unwrap to different keys
     * @throws CdkUnavailableException if no wrapping can be unwrapped
     */
    public CdkCheckValue establishCheckValue(Cdk cdk) {
        Objects.requireNonNull(cdk, "cdk");
        if (cdk.checkValue() != null) {
            try (DataKey key = unwrap(cdk)) {
                return cdk.checkValue();
            }
        }
        if (cdk.status() == CdkStatus.DESTROYED) {
            throw new CdkDestroyedException(cdk.id(), cdk.destroyedAt());
        }
        DataKey first = null;
        String firstFrom = null;
        RuntimeException last = null;
        try {
            for (Wrapping w : cdk.wrappings()) {
                for (Keystore ks : keystores) {
                    if (!ks.canUnwrap(w)) {
                        continue;
                    }
                    attempts.increment();
                    DataKey key;
                    try {
                        key = VerifiedUnwrap.unwrap(ks, cdk, w);
                    } catch (RuntimeException e) {
                        last = e;
                        continue;
                    }
                    if (first == null) {
                        first = key;
                        firstFrom = describe(w);
                        continue;
                    }
                    try (key) {
                        if (!first.sameKeyAs(key)) {
                            throw new CdkCheckFailedException(cdk.id(), "legacy CDK " + cdk.id() + ": " + firstFrom
                                    + " and " + describe(w) + " unwrap to different keys, so which key is the CDK's"
                                    + " cannot be decided here; no check value was established. One of them was added"
                                    + " or altered in the registry: find out which (decrypt known data) and remove it.");
                        }
                    }
                }
            }
            if (first == null) {
                throw new CdkUnavailableException(cdk.id(), "legacy CDK " + cdk.id() + ": no configured keystore"
                        + " (configured: " + configuredNames() + ") could unwrap any of its wrappings, so no check"
                        + " value can be established", last);
            }
            return CdkCheckValue.of(first);
        } finally {
            if (first != null) {
                first.destroy();
            }
        }
    }

    @Override
    public String toString() {
        return "CdkUnwrapper[keystores=" + configuredNames() + ", attempts=" + attempts() + "]";
    }
}
