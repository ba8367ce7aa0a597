package dev.dataenc.cdk;

import dev.dataenc.keystore.Wrapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer data key as the registry knows it: never the plaintext, only its wrappings.
 *
 * @param id        the CDK id written into every ciphertext it makes
 * @param status    ACTIVE, DECRYPT_ONLY or RETIRED
 * @param createdAt when it was generated
 * @param wrappings one or more wrappings, one per keystore/master key that can unwrap it
 */
public record Cdk(CdkId id, CdkStatus status, Instant createdAt, List<Wrapping> wrappings) {

    public Cdk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        wrappings = List.copyOf(wrappings);
        if (wrappings.isEmpty()) {
            throw new IllegalArgumentException("CDK " + id + " must have at least one wrapping");
        }
    }

    /** The wrapping made by the named keystore, if there is one. */
    public Optional<Wrapping> wrappingBy(String keystoreName) {
        return wrappings.stream().filter(w -> w.keystoreName().equals(keystoreName)).findFirst();
    }

    /** This CDK with another status. */
    public Cdk withStatus(CdkStatus newStatus) {
        return new Cdk(id, newStatus, createdAt, wrappings);
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
        return new Cdk(id, status, createdAt, next);
    }
}
