package dev.dataenc.cdk;

import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Wrapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer data key as the registry knows it: never the plaintext, only its wrappings.
 *
 * @param id               the CDK id written into every ciphertext it makes
 * @param status           ACTIVE, DECRYPT_ONLY, RETIRED or DESTROYED
 * @param createdAt        when it was generated
 * @param wrappings        one or more wrappings, one per keystore/master key that can unwrap it; none only when
 *                         DESTROYED
 * @param decryptOnlySince when it stopped being ACTIVE (set by the registry when another CDK replaced it), or
 *                         {@code null} while ACTIVE (or when not known)
 * @param destroyedAt      when its wrappings were destroyed, or {@code null} unless DESTROYED
 * @param checkValue       the key check value computed when the CDK was generated ({@link CdkCheckValue}), or
 *                         {@code null} for a <em>legacy</em> CDK made before check values existed; every unwrap
 *                         is verified against it
 */
public record Cdk(CdkId id, CdkStatus status, Instant createdAt, List<Wrapping> wrappings, Instant decryptOnlySince,
                  Instant destroyedAt, CdkCheckValue checkValue) {

    public Cdk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        wrappings = List.copyOf(wrappings);
        if (status == CdkStatus.DESTROYED) {
            if (!wrappings.isEmpty()) {
                throw new IllegalArgumentException("DESTROYED CDK " + id + " must have no wrappings, has "
                        + wrappings.size());
            }
            Objects.requireNonNull(destroyedAt, "destroyedAt of a DESTROYED CDK");
        } else {
            if (wrappings.isEmpty()) {
                throw new IllegalArgumentException("CDK " + id + " must have at least one wrapping");
            }
            if (destroyedAt != null) {
                throw new IllegalArgumentException("CDK " + id + " is " + status + " but has a destroyedAt time");
            }
        }
        if (status == CdkStatus.ACTIVE && decryptOnlySince != null) {
            throw new IllegalArgumentException("ACTIVE CDK " + id + " cannot have a decryptOnlySince time");
        }
    }

    /** A legacy CDK (no check value) with these times. */
    public Cdk(CdkId id, CdkStatus status, Instant createdAt, List<Wrapping> wrappings, Instant decryptOnlySince,
               Instant destroyedAt) {
        this(id, status, createdAt, wrappings, decryptOnlySince, destroyedAt, null);
    }

    /** A legacy CDK (no check value) whose status was never changed by the registry. */
    public Cdk(CdkId id, CdkStatus status, Instant createdAt, List<Wrapping> wrappings) {
        this(id, status, createdAt, wrappings, null, null, null);
    }

    /**
     * A new ACTIVE CDK as a keystore just generated it, with its check value computed from the
     * plaintext key (which the caller still owns).
     */
    public static Cdk generated(GeneratedDataKey generated, Instant createdAt) {
        DataKey key = generated.key();
        return new Cdk(key.cdkId(), CdkStatus.ACTIVE, createdAt, List.of(generated.wrapping()), null, null,
                CdkCheckValue.of(key));
    }

    /** The check value, or empty for a legacy CDK. */
    public Optional<CdkCheckValue> checkValueIfKnown() {
        return Optional.ofNullable(checkValue);
    }

    /** This CDK with a check value (for a legacy CDK whose value an administrator has just established). */
    public Cdk withCheckValue(CdkCheckValue value) {
        return new Cdk(id, status, createdAt, wrappings, decryptOnlySince, destroyedAt, Objects.requireNonNull(value));
    }

    /** When it stopped being ACTIVE, if it did and that is known. */
    public Optional<Instant> decryptOnlySinceTime() {
        return Optional.ofNullable(decryptOnlySince);
    }

    /** The wrapping made by the named keystore, if there is one. */
    public Optional<Wrapping> wrappingBy(String keystoreName) {
        return wrappings.stream().filter(w -> w.keystoreName().equals(keystoreName)).findFirst();
    }

    /** This CDK with another status (its times are kept). */
    public Cdk withStatus(CdkStatus newStatus) {
        return new Cdk(id, newStatus, createdAt, wrappings, decryptOnlySince, destroyedAt, checkValue);
    }

    /** This CDK, no longer ACTIVE since {@code since}: DECRYPT_ONLY. */
    public Cdk demoted(Instant since) {
        return new Cdk(id, CdkStatus.DECRYPT_ONLY, createdAt, wrappings, Objects.requireNonNull(since, "since"), null, checkValue);
    }

    /** This CDK DESTROYED at {@code at}: no wrappings left. */
    public Cdk destroyed(Instant at) {
        return new Cdk(id, CdkStatus.DESTROYED, createdAt, List.of(), decryptOnlySince, Objects.requireNonNull(at, "at"), checkValue);
    }

    /** This CDK with one more wrapping; a wrapping of the same master key and version is replaced. */
    public Cdk withWrapping(Wrapping wrapping) {
        List<Wrapping> next = new ArrayList<>();
        for (Wrapping w : wrappings) {
            if (!w.sameMasterKey(wrapping)) {
                next.add(w);
            }
        }
        next.add(wrapping);
        return new Cdk(id, status, createdAt, next, decryptOnlySince, destroyedAt, checkValue);
    }

    /** This CDK with exactly these wrappings. */
    public Cdk withWrappings(List<Wrapping> newWrappings) {
        return new Cdk(id, status, createdAt, newWrappings, decryptOnlySince, destroyedAt, checkValue);
    }
}
