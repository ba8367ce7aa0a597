package dev.dataenc.cdk;

import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.Wrapping;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CdkRegistry} held in memory, for tests and single-process tools. Lost when the
 * process ends: production use needs a persistent registry.
 */
public final class InMemoryCdkRegistry implements CdkRegistry {

    private final Map<CdkId, Cdk> cdks = new LinkedHashMap<>();
    private final Clock clock;

    /** A registry that records status changes with the system clock. */
    public InMemoryCdkRegistry() {
        this(Clock.systemUTC());
    }

    /** A registry that records status changes (decrypt-only and destruction times) with {@code clock}. */
    public InMemoryCdkRegistry(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public synchronized Optional<Cdk> find(CdkId id) {
        return Optional.ofNullable(cdks.get(id));
    }

    @Override
    public synchronized Optional<Cdk> findActive() {
        return cdks.values().stream().filter(c -> c.status() == CdkStatus.ACTIVE).findFirst();
    }

    @Override
    public synchronized List<Cdk> list() {
        List<Cdk> all = new ArrayList<>(cdks.values());
        all.sort(Comparator.comparing(Cdk::createdAt));
        return all;
    }

    @Override
    public synchronized void activate(Cdk newCdk, CdkId expectedActive) {
        if (newCdk.status() != CdkStatus.ACTIVE) {
            throw new IllegalArgumentException("a CDK to activate must have status ACTIVE, got " + newCdk.status());
        }
        if (cdks.containsKey(newCdk.id())) {
            throw new RegistryConflictException("CDK " + newCdk.id() + " already exists");
        }
        Optional<Cdk> current = findActive();
        CdkId currentId = current.map(Cdk::id).orElse(null);
        if (!Objects.equals(currentId, expectedActive)) {
            throw new RegistryConflictException("expected ACTIVE CDK " + expectedActive + " but it is " + currentId
                    + "; another writer activated a CDK first. Re-read the registry and retry if still needed.");
        }
        Instant now = now();
        current.ifPresent(c -> cdks.put(c.id(), c.demoted(now)));
        cdks.put(newCdk.id(), newCdk);
    }

    @Override
    public synchronized void addWrapping(CdkId id, Wrapping wrapping) {
        Cdk cdk = require(id);
        if (cdk.status() == CdkStatus.DESTROYED) {
            throw new RegistryConflictException("CDK " + id + " was DESTROYED; it cannot get a wrapping again");
        }
        if (cdk.status() == CdkStatus.DESTRUCTION_SCHEDULED) {
            throw new RegistryConflictException("CDK " + id + " is scheduled for destruction; it gets no new wrapping");
        }
        if (cdk.wrappings().stream().noneMatch(w -> w.sameMasterKey(wrapping))) {
            cdks.put(id, cdk.withWrapping(wrapping));
        }
    }

    @Override
    public synchronized void removeWrapping(CdkId id, Wrapping wrapping) {
        Cdk cdk = require(id);
        List<Wrapping> rest = cdk.wrappings().stream().filter(w -> !w.sameMasterKey(wrapping)).toList();
        if (rest.size() == cdk.wrappings().size()) {
            return;
        }
        if (rest.isEmpty()) {
            throw new RegistryConflictException("CDK " + id + ": refusing to remove its only wrapping (keystore '"
                    + wrapping.keystoreName() + "'); the CDK would be lost");
        }
        cdks.put(id, cdk.withWrappings(rest));
    }

    @Override
    public synchronized void updateStatus(CdkId id, CdkStatus expected, CdkStatus next) {
        if (expected == CdkStatus.DESTROYED || next == CdkStatus.DESTROYED) {
            throw new IllegalArgumentException("a CDK becomes DESTROYED only through destroy(), and never leaves it");
        }
        Cdk cdk = require(id);
        if (cdk.status() != expected) {
            throw new RegistryConflictException("CDK " + id + " is " + cdk.status() + ", expected " + expected);
        }
        if (next == CdkStatus.ACTIVE && findActive().isPresent()) {
            throw new RegistryConflictException("another CDK is already ACTIVE; use activate() to replace it");
        }
        Cdk changed;
        if (next == CdkStatus.ACTIVE) {
            changed = new Cdk(id, next, cdk.createdAt(), cdk.wrappings(), null, null, cdk.checkValue());
        } else if (cdk.status() == CdkStatus.ACTIVE) {
            changed = cdk.demoted(now()).withStatus(next);
        } else {
            changed = cdk.withStatus(next);
        }
        cdks.put(id, changed);
    }

    @Override
    public synchronized Cdk destroy(CdkId id) {
        Cdk cdk = require(id);
        if (cdk.status() != CdkStatus.DESTRUCTION_SCHEDULED) {
            throw new RegistryConflictException("CDK " + id + " is " + cdk.status() + ", not DESTRUCTION_SCHEDULED; only"
                    + " a CDK whose destruction was scheduled can be destroyed");
        }
        Cdk destroyed = cdk.destroyed(now());
        cdks.put(id, destroyed);
        return destroyed;
    }

    @Override
    public synchronized void recordCheckValue(CdkId id, CdkCheckValue checkValue) {
        java.util.Objects.requireNonNull(checkValue, "checkValue");
        Cdk cdk = require(id);
        if (cdk.checkValue() == null) {
            cdks.put(id, cdk.withCheckValue(checkValue));
        } else if (!cdk.checkValue().equals(checkValue)) {
            throw new RegistryConflictException("CDK " + id + " already has another check value (" + cdk.checkValue()
                    + "); a check value is never changed");
        }
    }

    private Cdk require(CdkId id) {
        Cdk cdk = cdks.get(id);
        if (cdk == null) {
            throw new UnknownCdkException(id, "CDK " + id + " is not in the registry");
        }
        return cdk;
    }
}
