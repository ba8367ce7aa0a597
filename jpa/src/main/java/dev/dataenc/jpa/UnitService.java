package dev.dataenc.jpa;

import dev.dataenc.inject.DataEncService;

import jakarta.persistence.EntityManagerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataenc service one EntityManagerFactory was given in its properties ({@link DataEncJpa#SERVICE}, optionally
 * {@link DataEncJpa#ROLLOUT}). {@link DataEncJpaIntegrator} checks the properties when Hibernate builds the factory
 * and keeps the result here until the factory closes; a {@link Supplier} is asked for its service at the first
 * encrypted read or write (so a host can build the factory before the service), once per factory, and the service's
 * ciphers are kept from then on.
 */
final class UnitService {

    /** Per open factory (identity): its service, or empty when its properties name none. */
    private static final Map<Object, Optional<UnitService>> BY_FACTORY =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private static final Logger LOG = LoggerFactory.getLogger(UnitService.class);
    /** Services whose rollout mode was logged (weak: a closed service is forgotten). */
    private static final Set<Object> ROLLOUT_LOGGED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private final Supplier<?> service;
    private final Rollout rollout;
    private volatile DataEncJpa.Installed ciphers;

    private UnitService(Supplier<?> service, Rollout rollout) {
        this.service = service;
        this.rollout = rollout;
    }

    /** Checks and keeps what the properties of a factory being built say (from {@link DataEncJpaIntegrator}). */
    static void register(Object factory, Map<String, ?> properties) {
        BY_FACTORY.put(factory, Optional.ofNullable(of(properties)));
    }

    /** Forgets a closed factory. */
    static void forget(Object factory) {
        BY_FACTORY.remove(factory);
    }

    /**
     * The service of {@code factory}, or null when its properties name none; read from its properties when the
     * factory was not registered (a proxy, or the integrator left out of the class path).
     */
    static UnitService of(EntityManagerFactory factory) {
        Optional<UnitService> known = BY_FACTORY.get(factory);
        return known != null ? known.orElse(null) : of(factory.getProperties());
    }

    /**
     * What a unit's settings say: its own service, or null when they name none (the holder of
     * {@link DataEncJpa#install} applies).
     *
     * @throws IllegalArgumentException if {@link DataEncJpa#SERVICE} holds something else than a service or a supplier
     *         of one, {@link DataEncJpa#ROLLOUT} is no {@link Rollout}, or a rollout is given without a service
     */
    static UnitService of(Map<String, ?> settings) {
        Object service = settings.get(DataEncJpa.SERVICE);
        Object rollout = settings.get(DataEncJpa.ROLLOUT);
        if (service == null) {
            if (rollout != null) {
                throw new IllegalArgumentException("The persistence unit setting " + DataEncJpa.ROLLOUT + " is set but "
                        + DataEncJpa.SERVICE + " is not; give the unit its DataEncService under " + DataEncJpa.SERVICE
                        + ", or remove " + DataEncJpa.ROLLOUT + " and pass the rollout to DataEncJpa.install");
            }
            return null;
        }
        Supplier<?> supplier;
        if (service instanceof DataEncService s) {
            supplier = () -> s;
        } else if (service instanceof Supplier<?> s) {
            supplier = s;
        } else {
            throw new IllegalArgumentException("The persistence unit setting " + DataEncJpa.SERVICE + " holds a "
                    + service.getClass().getName() + "; pass the dataenc.inject.DataEncService object itself (or a"
                    + " java.util.function.Supplier of it) in the properties map, not a name or a text");
        }
        return new UnitService(supplier, rollout(rollout));
    }

    private static Rollout rollout(Object value) {
        if (value == null) {
            return Rollout.OFF;
        }
        if (value instanceof Rollout r) {
            return r;
        }
        String name = value.toString().strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Rollout r : Rollout.values()) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("The persistence unit setting " + DataEncJpa.ROLLOUT + " is '" + value
                + "'; use OFF or READ_PLAINTEXT");
    }

    /** The unit's ciphers (its service's), asking a supplier once. */
    DataEncJpa.Installed ciphers() {
        DataEncJpa.Installed c = ciphers;
        if (c == null) {
            Object s = service.get();
            if (!(s instanceof DataEncService dataenc)) {
                throw new IllegalStateException("The supplier in the persistence unit setting " + DataEncJpa.SERVICE
                        + " gave " + (s == null ? "null" : "a " + s.getClass().getName()) + " instead of a"
                        + " DataEncService; it must give the started service");
            }
            c = new DataEncJpa.Installed(dataenc.propertyCipher(), dataenc.deterministicCipher(), rollout);
            ciphers = c;
            if (rollout == Rollout.READ_PLAINTEXT && ROLLOUT_LOGGED.add(dataenc)) {
                LOG.info("dataenc JPA rollout mode ({}={}) for a persistence unit of {}: stored values that are not"
                        + " dataenc ciphertexts are read as plaintext (counted per context; writes always encrypt)",
                        DataEncJpa.ROLLOUT, rollout, dataenc);
            }
        }
        return c;
    }
}
