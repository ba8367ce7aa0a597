package dev.dataenc.jpa;

import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncService;

import jakarta.persistence.EntityManagerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the Hibernate user types of this module ({@link EncryptedStringType}, {@link EncryptedBytesType},
 * {@link DeterministicStringType}) to dataenc. Hibernate instantiates the types itself; each finds its ciphers in
 * the settings of the persistence unit it belongs to, else in a process-wide holder:
 *
 * <ol>
 *   <li><b>Per persistence unit</b> (use this): pass the {@link DataEncService} to the EntityManagerFactory under
 *       {@link #SERVICE} ({@value #SERVICE}) in its properties (and, if needed, a {@link Rollout} under
 *       {@link #ROLLOUT}). Two factories in one JVM (two persistence units, two Spring contexts, tenants) then each
 *       use their own service. The Spring Boot starter does this for the auto-configured factory.
 *   <li><b>The holder</b>, for hosts that call {@link #install(DataEncService)} once at start, before the first
 *       entity is read or written (and {@link #uninstall()} when the application stops). It serves every factory
 *       whose settings name no service: one configuration per JVM.
 * </ol>
 *
 * A factory with a service in its settings uses it even when the holder holds another one. With neither, reading or
 * writing an encrypted attribute fails with an {@link IllegalStateException} that says so.
 *
 * <pre>{@code
 * DataEncService dataenc = DataEncService.start(Path.of("/etc/myapp/dataenc.properties"));
 * EntityManagerFactory emf = Persistence.createEntityManagerFactory("orders", Map.of(DataEncJpa.SERVICE, dataenc));
 * ...
 * List<String> candidates = DataEncJpa.lookup(emf, Customer.class, "email", email);
 * em.createQuery("select c from Customer c where c.email in :e", Customer.class).setParameter("e", candidates)
 * }</pre>
 */
public final class DataEncJpa {

    /**
     * The persistence unit setting ({@code jakarta.persistence} properties map, Hibernate setting) that gives one
     * EntityManagerFactory its dataenc service: the {@link DataEncService} object itself, or a
     * {@code java.util.function.Supplier<DataEncService>} that is asked at the first encrypted read or write (for a
     * host that builds the factory before the service). Checked when the factory is built: anything else (a text, a
     * name) fails the build.
     */
    public static final String SERVICE = "dataenc.jpa.service";

    /**
     * The persistence unit setting for the unit's {@link Rollout}: a {@code Rollout} or its name ({@code OFF},
     * {@code READ_PLAINTEXT}); {@code OFF} when absent. Only together with {@link #SERVICE}: a factory without its
     * own service uses the rollout given to {@link #install(DataEncService, Rollout)}.
     */
    public static final String ROLLOUT = "dataenc.jpa.rollout";

    private static final Logger LOG = LoggerFactory.getLogger(DataEncJpa.class);
    private static final AtomicReference<Installed> CURRENT = new AtomicReference<>();
    private static final ConcurrentHashMap<String, LongAdder> PLAINTEXT_READS = new ConcurrentHashMap<>();

    /** The ciphers the types use and how they read values that are not ciphertexts. */
    record Installed(PropertyCipher random, DeterministicCipher deterministic, Rollout rollout) {
    }

    private DataEncJpa() {
    }

    /**
     * Puts {@code service} into the process-wide holder, for every factory whose settings give no {@link #SERVICE};
     * values that are not ciphertexts are refused ({@link Rollout#OFF}).
     */
    public static void install(DataEncService service) {
        install(service, Rollout.OFF);
    }

    /** Uses the ciphers of {@code service} with the given treatment of values that are not ciphertexts. */
    public static void install(DataEncService service, Rollout rollout) {
        Objects.requireNonNull(service, "service");
        install(service.propertyCipher(), service.deterministicCipher(), rollout);
    }

    /** Uses the given ciphers (a host that builds them itself). */
    public static void install(PropertyCipher random, DeterministicCipher deterministic, Rollout rollout) {
        CURRENT.set(new Installed(Objects.requireNonNull(random, "random"),
                Objects.requireNonNull(deterministic, "deterministic"), Objects.requireNonNull(rollout, "rollout")));
        if (rollout == Rollout.READ_PLAINTEXT) {
            LOG.info("dataenc JPA rollout mode: stored values that are not dataenc ciphertexts are read as plaintext"
                    + " (counted per context; writes always encrypt)");
        }
    }

    /**
     * Empties the holder: encrypted attributes of factories without their own {@link #SERVICE} fail until the next
     * {@link #install}. Factories with their own service are not affected.
     */
    public static void uninstall() {
        CURRENT.set(null);
    }

    /**
     * The ciphertexts of {@code value} under every CDK still in use, for {@code where attribute in :candidates} on a
     * {@link DeterministicStringType} attribute, made with the service of the holder ({@link #install}); its context
     * is derived as the type derives it (the attribute's {@link EncryptionContext}, else {@code Entity.attribute}).
     * For a factory given its own service ({@link #SERVICE}) use {@link #lookup(EntityManagerFactory, Class, String,
     * String)}.
     *
     * @throws IllegalArgumentException if {@code entity} has no field or getter named {@code attribute}
     * @throws IllegalStateException    if nothing is installed
     */
    public static List<String> lookup(Class<?> entity, String attribute, String value) {
        return lookup(Contexts.of(entity, attribute), value);
    }

    /** As {@link #lookup(Class, String, String)} with an explicit context. */
    public static List<String> lookup(String context, String value) {
        return lookup(current(), context, value);
    }

    /**
     * As {@link #lookup(Class, String, String)} with the service of {@code factory}: the one in its settings under
     * {@link #SERVICE}, else the holder's (the service the factory's attributes use). A Spring shared
     * EntityManagerFactory proxy, or {@code entityManager.getEntityManagerFactory()}, will do.
     *
     * @throws IllegalArgumentException if {@code entity} has no field or getter named {@code attribute}, or the
     *         factory's settings are invalid (see {@link #SERVICE})
     * @throws IllegalStateException    if the factory has no service and nothing is installed
     */
    public static List<String> lookup(EntityManagerFactory factory, Class<?> entity, String attribute, String value) {
        Objects.requireNonNull(factory, "factory");
        UnitService unit = UnitService.of(factory);
        return lookup(unit != null ? unit.ciphers() : current(), Contexts.of(entity, attribute), value);
    }

    private static List<String> lookup(Installed ciphers, String context, String value) {
        return ciphers.deterministic().lookupStrings(Objects.requireNonNull(value, "value"), context);
    }

    /** How many stored values were read as plaintext in rollout mode, per context, since start. */
    public static java.util.Map<String, Long> plaintextReads() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        PLAINTEXT_READS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The holder's ciphers. */
    static Installed current() {
        return current("dataenc JPA");
    }

    /** The holder's ciphers; {@code who} starts the message if there are none. */
    static Installed current(String who) {
        Installed i = CURRENT.get();
        if (i == null) {
            throw new IllegalStateException(who + " has no dataenc service: pass the DataEncService to the"
                    + " EntityManagerFactory in its properties under \"" + SERVICE + "\" (the Spring Boot starter does"
                    + " this), or call DataEncJpa.install(dataEncService) at start, before Hibernate reads or writes an"
                    + " encrypted attribute");
        }
        return i;
    }

    /** Counts a plaintext read; the first one per context (and every 10,000th) is logged, without the value. */
    static void plaintextRead(String context) {
        LongAdder n = PLAINTEXT_READS.computeIfAbsent(context, k -> new LongAdder());
        n.increment();
        long sum = n.sum();
        if (sum == 1 || sum % 10_000 == 0) {
            LOG.warn("dataenc rollout: read a value of {} that is not a dataenc ciphertext as plaintext ({} so far);"
                    + " it is encrypted when the attribute next changes", context, sum);
        }
    }
}
