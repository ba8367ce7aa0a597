package dev.dataenc.jpa;

import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncService;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the Hibernate user types of this module ({@link EncryptedStringType}, {@link EncryptedBytesType},
 * {@link DeterministicStringType}) to dataenc. Hibernate instantiates the types itself, so they find their ciphers
 * here: call {@link #install(DataEncService)} once at start, before the first entity is read or written, and
 * {@link #uninstall()} when the application stops.
 *
 * <pre>{@code
 * DataEncService dataenc = DataEncService.start(Path.of("/etc/myapp/dataenc.properties"));
 * DataEncJpa.install(dataenc);
 * ...
 * List<String> candidates = DataEncJpa.lookup(Customer.class, "email", email);
 * em.createQuery("select c from Customer c where c.email in :e", Customer.class).setParameter("e", candidates)
 * }</pre>
 */
public final class DataEncJpa {

    private static final Logger LOG = LoggerFactory.getLogger(DataEncJpa.class);
    private static final AtomicReference<Installed> CURRENT = new AtomicReference<>();
    private static final ConcurrentHashMap<String, LongAdder> PLAINTEXT_READS = new ConcurrentHashMap<>();

    /** The ciphers the types use and how they read values that are not ciphertexts. */
    record Installed(PropertyCipher random, DeterministicCipher deterministic, Rollout rollout) {
    }

    private DataEncJpa() {
    }

    /** Uses the ciphers of {@code service}; values that are not ciphertexts are refused ({@link Rollout#OFF}). */
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

    /** Forgets the installed ciphers; encrypted attributes fail until the next {@link #install}. */
    public static void uninstall() {
        CURRENT.set(null);
    }

    /**
     * The ciphertexts of {@code value} under every CDK still in use, for {@code where attribute in :candidates} on a
     * {@link DeterministicStringType} attribute; its context is derived as the type derives it (the attribute's
     * {@link EncryptionContext}, else {@code Entity.attribute}).
     *
     * @throws IllegalArgumentException if {@code entity} has no field or getter named {@code attribute}
     * @throws IllegalStateException    if nothing is installed
     */
    public static List<String> lookup(Class<?> entity, String attribute, String value) {
        return lookup(Contexts.of(entity, attribute), value);
    }

    /** As {@link #lookup(Class, String, String)} with an explicit context. */
    public static List<String> lookup(String context, String value) {
        return current().deterministic().lookupStrings(Objects.requireNonNull(value, "value"), context);
    }

    /** How many stored values were read as plaintext in rollout mode, per context, since start. */
    public static java.util.Map<String, Long> plaintextReads() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        PLAINTEXT_READS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static Installed current() {
        Installed i = CURRENT.get();
        if (i == null) {
            throw new IllegalStateException("dataenc JPA is not installed: call DataEncJpa.install(dataEncService) at"
                    + " start, before Hibernate reads or writes an encrypted attribute");
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
