package dev.dataenc.cdk;

import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;

import java.time.Clock;
import java.util.Objects;

/**
 * Generates a new CDK under a keystore and makes it the ACTIVE one; the previous ACTIVE CDK
 * becomes DECRYPT_ONLY in the same registry step. The CDK is stored with its
 * {@link CdkCheckValue}, computed from the new plaintext key before it is destroyed. Two callers racing both generate, but only
 * one activation wins; the loser gets {@link dev.dataenc.error.RegistryConflictException}.
 */
public final class CdkGenerator {

    private final CdkRegistry registry;
    private final Clock clock;

    public CdkGenerator(CdkRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    public CdkGenerator(CdkRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Generates a CDK under {@code keystore} and activates it. Returns the stored CDK. */
    public Cdk generateActive(Keystore keystore) {
        return generateActive(keystore, registry.findActive().map(Cdk::id).orElse(null));
    }

    /**
     * Generates a CDK under {@code keystore} and activates it in place of {@code expected}
     * (compare-and-set): if another CDK became ACTIVE meanwhile, nothing is stored.
     *
     * @param expected the CDK that must still be ACTIVE, or {@code null} if none must be
     * @throws dev.dataenc.error.RegistryConflictException if {@code expected} is no longer ACTIVE
     */
    public Cdk generateActive(Keystore keystore, CdkId expected) {
        CdkId id = CdkId.random();
        try (GeneratedDataKey generated = keystore.generateDataKey(id)) {
            if (!id.equals(generated.key().cdkId())) {
                throw new dev.dataenc.error.WrappedKeyException("keystore '" + keystore.name() + "' generated a key for CDK "
                        + generated.key().cdkId() + " when asked for CDK " + id + "; nothing was stored");
            }
            Cdk cdk = Cdk.generated(generated, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            registry.activate(cdk, expected);
            return cdk;
        }
    }
}
