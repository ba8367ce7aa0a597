package dev.dataenc.jpa;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.testing.KeystoreFiles;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two persistence units in one JVM, each with its own dataenc configuration (two {@link DataEncService}s over two
 * directories, each with its own registry and {@code local} keystore), through a real Hibernate (6.6 or 7) on H2:
 * unit A is opened through plain JPA ({@link Persistence#createEntityManagerFactory(String, Map)}, the persistence
 * unit of {@code META-INF/persistence.xml}), unit B through Hibernate's native bootstrap. Each gets its service in its
 * own settings under {@code dataenc.jpa.service}. Raw rows are read back over JDBC and checked against both services:
 * a value of unit A names A's ACTIVE CDK and decrypts with A's service only.
 */
class PerFactoryServiceTest {

    /** The setting names, spelt out: hosts write them into persistence.xml and property maps as text. */
    private static final String SERVICE = "dataenc.jpa.service";
    private static final String ROLLOUT = "dataenc.jpa.rollout";

    @TempDir
    static Path dir;

    private static DataEncService serviceA;
    private static DataEncService serviceB;

    private final List<EntityManagerFactory> opened = new ArrayList<>();

    @BeforeAll
    static void startBothServices() throws Exception {
        serviceA = start("a", "password-of-a");
        serviceB = start("b", "password-of-b");
        assertNotEquals(activeCdk(serviceA), activeCdk(serviceB), "two registries, two CDKs");
    }

    private static DataEncService start(String name, String password) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path file = home.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type = platform\n"
                + "dataenc.keystore.active = " + name + "\n"
                + "dataenc.keystores." + name + ".type = local\n"
                + "dataenc.keystores." + name + ".path = " + name + ".p12\n"
                + "dataenc.keystores." + name + ".password = " + password + "\n"
                + "dataenc.keystores." + name + ".master-key = mk-" + name + "\n");
        KeystoreFiles.provideAll(file);
        return DataEncService.start(file);
    }

    @AfterAll
    static void stopServices() {
        serviceA.close();
        serviceB.close();
    }

    @BeforeEach
    void checkHibernateVersion() {
        String expected = System.getProperty("dataenc.hibernate.expected", "");
        assertTrue(org.hibernate.Version.getVersionString().startsWith(expected),
                "running on Hibernate " + org.hibernate.Version.getVersionString() + ", this execution is for " + expected);
        DataEncJpa.uninstall();
    }

    @AfterEach
    void closeFactories() {
        DataEncJpa.uninstall();
        opened.forEach(EntityManagerFactory::close);
    }

    @Test
    void twoFactories_eachEncryptsUnderItsOwnService_evenWhenTheHolderWasLastSetByTheOther() throws Exception {
        // each host also installs its service into the process-wide holder at its start, as docs/JPA.md told it to
        // before services could be passed per factory: the later one (B) overwrites A's
        DataEncJpa.install(serviceA);
        Unit a = jpa(serviceA, Map.of());
        a.persist(new Customer(1, "Ada Lovelace", "photo of Ada".getBytes(UTF_8), "ada@example.com", "A's notes"));

        DataEncJpa.install(serviceB);
        Unit b = nativeBootstrap(serviceB, Map.of());
        b.persist(new Customer(1, "Bob Bemer", "photo of Bob".getBytes(UTF_8), "bob@example.com", "B's notes"));

        // A after B was created (and installed): still A's service
        a.persist(new Customer(2, "Alan Turing", null, "alan@example.com", null));

        assertStoredUnder(a, 1, serviceA, serviceB, "Ada Lovelace", "photo of Ada", "ada@example.com", "A's notes");
        assertStoredUnder(a, 2, serviceA, serviceB, "Alan Turing", null, "alan@example.com", null);
        assertStoredUnder(b, 1, serviceB, serviceA, "Bob Bemer", "photo of Bob", "bob@example.com", "B's notes");

        assertLoads(a, 1, "Ada Lovelace", "photo of Ada", "ada@example.com", "A's notes");
        assertLoads(a, 2, "Alan Turing", null, "alan@example.com", null);
        assertLoads(b, 1, "Bob Bemer", "photo of Bob", "bob@example.com", "B's notes");

        // a deterministic attribute is found through the candidates of the unit's own service
        String query = "select c from Customer c where c.email in :e";
        assertEquals(List.of(2L), a.read(em -> em.createQuery(query, Customer.class)
                .setParameter("e", serviceA.deterministicCipher().lookupStrings("alan@example.com", "Customer.email"))
                .getResultList().stream().map(Customer::id).toList()));
        assertEquals(List.of(1L), b.read(em -> em.createQuery(query, Customer.class)
                .setParameter("e", serviceB.deterministicCipher().lookupStrings("bob@example.com", "Customer.email"))
                .getResultList().stream().map(Customer::id).toList()));
    }

    @Test
    void twoFactories_withoutTheHolder_eachUsesItsOwnService_andTheLaterOneDisturbsNothing() throws Exception {
        Unit a = nativeBootstrap(serviceA, Map.of());
        a.persist(new Customer(1, "Ada", null, "ada@example.com", null));
        assertLoads(a, 1, "Ada", null, "ada@example.com", null);

        Unit b = jpa(serviceB, Map.of());
        b.persist(new Customer(1, "Bob", null, "bob@example.com", null));
        a.inTransaction(em -> em.find(Customer.class, 1L).rename("Ada L."));
        a.persist(new Customer(3, "Anne", null, "anne@example.com", null));

        assertStoredUnder(a, 1, serviceA, serviceB, "Ada L.", null, "ada@example.com", null);
        assertStoredUnder(a, 3, serviceA, serviceB, "Anne", null, "anne@example.com", null);
        assertStoredUnder(b, 1, serviceB, serviceA, "Bob", null, "bob@example.com", null);
        assertLoads(a, 1, "Ada L.", null, "ada@example.com", null);
        assertLoads(b, 1, "Bob", null, "bob@example.com", null);

        b.close();
        assertLoads(a, 3, "Anne", null, "anne@example.com", null); // closing B leaves A alone
    }

    @Test
    void neitherAServiceInTheSettingsNorTheHolder_failsWithOneActionableLine() throws Exception {
        Unit none = nativeBootstrap(null, Map.of());

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> none.persist(new Customer(1, "Ada", null, null, null)));
        IllegalStateException cause = cause(e, IllegalStateException.class);
        assertNotNull(cause, "an IllegalStateException in the causes of " + e);
        String message = cause.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(SERVICE), "names the setting: " + message);
        assertTrue(message.contains("DataEncJpa.install"), "names the fallback: " + message);
    }

    @Test
    void rolloutMode_isPerFactoryToo() throws Exception {
        Unit a = jpa(serviceA, Map.of(ROLLOUT, "READ_PLAINTEXT"));
        Unit b = nativeBootstrap(serviceB, Map.of());
        for (Unit u : List.of(a, b)) {
            try (Connection c = DriverManager.getConnection(u.url, "sa", "");
                 PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, name, email) VALUES (7, ?, ?)")) {
                s.setString(1, "Grace Hopper");
                s.setString(2, "grace@example.com");
                s.executeUpdate();
            }
        }

        assertLoads(a, 7, "Grace Hopper", null, "grace@example.com", null);
        RuntimeException refused = assertThrows(RuntimeException.class, () -> b.read(em -> em.find(Customer.class, 7L)));
        assertNotNull(cause(refused, MalformedCiphertextException.class), "B (rollout off) refuses plaintext: " + refused);
    }

    @Test
    void aSettingThatIsNoService_failsTheFactoryBuild_namingTheSetting() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> nativeBootstrap(null, Map.of(SERVICE, "dataEncService")));
        assertTrue(messages(e).contains(SERVICE), messages(e));
        assertTrue(messages(e).contains("java.lang.String"), messages(e));
    }

    @Test
    void settingNames_areThePublicConstants() {
        assertEquals(SERVICE, DataEncJpa.SERVICE);
        assertEquals(ROLLOUT, DataEncJpa.ROLLOUT);
    }

    @Test
    void lookupThroughAFactory_usesThatFactorysService_elseTheHolder() throws Exception {
        Unit a = jpa(serviceA, Map.of());
        Unit b = nativeBootstrap(serviceB, Map.of());
        DataEncJpa.install(serviceB);
        Unit legacy = nativeBootstrap(null, Map.of());
        for (Unit u : List.of(a, b, legacy)) {
            u.persist(new Customer(1, "Ada", null, "ada@example.com", null));
        }
        serviceA.controlPlane().rotateCdk("test"); // A's row is now under a DECRYPT_ONLY CDK: found through lookup only

        String query = "select c from Customer c where c.email in :e";
        for (Unit u : List.of(a, b, legacy)) {
            List<String> candidates = DataEncJpa.lookup(u.emf, Customer.class, "email", "ada@example.com");
            assertEquals(List.of(1L), u.read(em -> em.createQuery(query, Customer.class).setParameter("e", candidates)
                    .getResultList().stream().map(Customer::id).toList()), u.url);
            // also through an EntityManager's factory
            assertEquals(candidates, u.read(em -> DataEncJpa.lookup(em.getEntityManagerFactory(), Customer.class, "email",
                    "ada@example.com")));
        }
        assertEquals(2, DataEncJpa.lookup(a.emf, Customer.class, "email", "ada@example.com").size(), "A: two CDKs in use");
        assertEquals(serviceB.deterministicCipher().lookupStrings("ada@example.com", "Customer.email"),
                DataEncJpa.lookup(legacy.emf, Customer.class, "email", "ada@example.com"), "no own service: the holder's");
    }

    @Test
    void aSupplierInTheSetting_isAskedAtTheFirstEncryptedReadOrWrite() throws Exception {
        java.util.concurrent.atomic.AtomicReference<DataEncService> later = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Supplier<DataEncService> supplier = later::get;
        Unit a = nativeBootstrap(null, Map.of(SERVICE, supplier)); // built before its service exists

        RuntimeException early = assertThrows(RuntimeException.class, () -> a.persist(new Customer(1, "Ada", null, null, null)));
        IllegalStateException cause = cause(early, IllegalStateException.class);
        assertNotNull(cause, messages(early));
        assertTrue(cause.getMessage().contains("gave null instead of a DataEncService"), cause.getMessage());

        later.set(serviceA);
        a.persist(new Customer(1, "Ada", null, "ada@example.com", null));
        later.set(serviceB); // asked once per factory: its attributes, used or not yet, keep the service it gave
        a.persist(new Customer(2, "Alan", "photo of Alan".getBytes(UTF_8), "alan@example.com", "Alan's notes"));
        assertStoredUnder(a, 1, serviceA, serviceB, "Ada", null, "ada@example.com", null);
        assertStoredUnder(a, 2, serviceA, serviceB, "Alan", "photo of Alan", "alan@example.com", "Alan's notes");
    }

    @Test
    void invalidRolloutSettings_failTheFactoryBuild() {
        RuntimeException withoutService = assertThrows(RuntimeException.class,
                () -> nativeBootstrap(null, Map.of(ROLLOUT, "READ_PLAINTEXT")));
        assertTrue(messages(withoutService).contains(ROLLOUT + " is set but " + SERVICE + " is not"), messages(withoutService));

        RuntimeException misspelt = assertThrows(RuntimeException.class,
                () -> nativeBootstrap(serviceA, Map.of(ROLLOUT, "READ_PLAIN")));
        assertTrue(messages(misspelt).contains("use OFF or READ_PLAINTEXT"), messages(misspelt));

        Unit lowerCase = nativeBootstrap(serviceA, Map.of(ROLLOUT, "read-plaintext")); // as a Spring property would be written
        assertNotNull(lowerCase.emf);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** A persistence unit under test and its H2 database. */
    private final class Unit {
        final EntityManagerFactory emf;
        final String url;

        Unit(EntityManagerFactory emf, String url) {
            this.emf = emf;
            this.url = url;
            opened.add(emf);
        }

        void persist(Customer customer) {
            inTransaction(em -> em.persist(customer));
        }

        void inTransaction(Consumer<EntityManager> work) {
            Transactions.inTransaction(emf, work);
        }

        <T> T read(Function<EntityManager, T> work) {
            EntityManager em = emf.createEntityManager();
            try {
                return work.apply(em);
            } finally {
                em.close();
            }
        }

        void close() {
            opened.remove(emf);
            emf.close();
        }
    }

    private static Map<String, Object> settings(String url, DataEncService service, Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>();
        s.put("hibernate.connection.url", url);
        s.put("hibernate.connection.username", "sa");
        s.put("hibernate.connection.password", "");
        s.put("hibernate.hbm2ddl.auto", "create");
        if (service != null) {
            s.put(SERVICE, service);
        }
        s.putAll(extra);
        return s;
    }

    private static String newUrl() {
        return "jdbc:h2:mem:per-factory-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    }

    /** Plain JPA: the persistence unit of META-INF/persistence.xml with the settings as properties. */
    private Unit jpa(DataEncService service, Map<String, Object> extra) {
        String url = newUrl();
        return new Unit(Persistence.createEntityManagerFactory("dataenc-jpa-test", settings(url, service, extra)), url);
    }

    /** Hibernate's native bootstrap: the settings applied to the StandardServiceRegistryBuilder. */
    private Unit nativeBootstrap(DataEncService service, Map<String, Object> extra) {
        String url = newUrl();
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySettings(settings(url, service, extra)).build();
        try {
            return new Unit(new MetadataSources(registry).addAnnotatedClass(Customer.class).buildMetadata()
                    .buildSessionFactory(), url);
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

    private static CdkId activeCdk(DataEncService service) {
        return service.controlPlane().registry().findActive().orElseThrow().id();
    }

    /** The stored row names {@code own}'s ACTIVE CDK in every encrypted column, decrypts with it, and not with {@code other}. */
    private static void assertStoredUnder(Unit unit, long id, DataEncService own, DataEncService other, String name,
                                          String photo, String email, String notes) throws SQLException {
        try (Connection c = DriverManager.getConnection(unit.url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT name, photo, email, notes FROM customer WHERE id = " + id)) {
            assertTrue(rs.next(), "row " + id);
            String where = "row " + id + " of " + unit.url;

            String storedName = rs.getString(1);
            assertEquals(activeCdk(own), CiphertextInfo.ofText(storedName).cdkId(), where + ": name under its own service's CDK");
            assertEquals(name, own.propertyCipher().decryptString(storedName, "Customer.name"));
            assertThrows(UnknownCdkException.class, () -> other.propertyCipher().decryptString(storedName, "Customer.name"),
                    where + ": the other service cannot read it");

            byte[] storedPhoto = rs.getBytes(2);
            if (photo == null) {
                assertEquals(null, storedPhoto);
            } else {
                assertEquals(activeCdk(own), CiphertextInfo.ofBinary(storedPhoto, storedPhoto.length).cdkId(), where + ": photo");
                assertArrayEquals(photo.getBytes(UTF_8), own.propertyCipher().decrypt(storedPhoto, "Customer.photo"));
                assertThrows(UnknownCdkException.class, () -> other.propertyCipher().decrypt(storedPhoto, "Customer.photo"));
            }

            String storedEmail = rs.getString(3);
            assertEquals(activeCdk(own), CiphertextInfo.ofText(storedEmail).cdkId(), where + ": email");
            assertEquals(own.deterministicCipher().encryptString(email, "Customer.email"), storedEmail);
            assertThrows(UnknownCdkException.class, () -> other.deterministicCipher().decryptString(storedEmail, "Customer.email"));

            String storedNotes = rs.getString(4);
            if (notes == null) {
                assertEquals(null, storedNotes);
            } else {
                assertEquals(activeCdk(own), CiphertextInfo.ofText(storedNotes).cdkId(), where + ": notes");
                assertEquals(notes, own.propertyCipher().decryptString(storedNotes, "crm.customer.notes"));
            }
        }
    }

    private static void assertLoads(Unit unit, long id, String name, String photo, String email, String notes) {
        Customer loaded = unit.read(em -> em.find(Customer.class, id));
        assertEquals(name, loaded.name());
        assertArrayEquals(photo == null ? null : photo.getBytes(UTF_8), loaded.photo());
        assertEquals(email, loaded.email());
        assertEquals(notes, loaded.notes());
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
