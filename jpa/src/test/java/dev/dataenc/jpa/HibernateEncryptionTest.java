package dev.dataenc.jpa;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.testing.KeystoreFiles;
import dev.dataenc.testing.PostgresServer;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entities with encrypted attributes through a real Hibernate (6.6 or 7: this class runs in both surefire
 * executions) on H2 and on PostgreSQL, with a {@link DataEncService} over an H2 registry and a {@code local}
 * keystore. Raw rows are read back over JDBC to see what is stored.
 */
class HibernateEncryptionTest {

    @TempDir
    static Path dir;

    private static DataEncService service;
    private EntityManagerFactory emf;
    private String url;
    private String user;

    @BeforeAll
    static void startDataenc() throws Exception {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type = platform\n"
                + "dataenc.keystore.active = a\n"
                + "dataenc.keystores.a.type = local\n"
                + "dataenc.keystores.a.path = a.p12\n"
                + "dataenc.keystores.a.password = test-password-a\n"
                + "dataenc.keystores.a.master-key = mk-a\n");
        KeystoreFiles.provideAll(file);
        service = DataEncService.start(file);
    }

    @AfterAll
    static void stopDataenc() {
        DataEncJpa.uninstall();
        service.close();
    }

    @AfterEach
    void closeFactory() {
        if (emf != null) {
            emf.close();
        }
    }

    /** Checks the Hibernate on the classpath is the one this surefire execution is for, then opens a factory. */
    private void open(String db, Rollout rollout) throws SQLException {
        String expected = System.getProperty("dataenc.hibernate.expected", "");
        assertTrue(org.hibernate.Version.getVersionString().startsWith(expected),
                "running on Hibernate " + org.hibernate.Version.getVersionString() + ", this execution is for " + expected);
        if (db.equals("postgres")) {
            PostgresServer pg = PostgresServer.available().orElse(null);
            assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
            url = pg.newDatabase();
            user = pg.user();
        } else {
            url = "jdbc:h2:mem:jpa-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
            user = "sa";
        }
        DataEncJpa.install(service, rollout);
        emf = new Configuration()
                .addAnnotatedClass(Customer.class)
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.connection.username", user)
                .setProperty("hibernate.connection.password", "")
                .setProperty("hibernate.hbm2ddl.auto", "create")
                .buildSessionFactory();
    }

    private void inTransaction(Consumer<EntityManager> work) {
        Transactions.inTransaction(emf, work);
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void persist_storesCiphertextsBoundToDerivedContexts_andLoadsPlaintext(String db) throws Exception {
        open(db, Rollout.OFF);
        byte[] photo = "JPEG bytes".getBytes(UTF_8);
        inTransaction(em -> em.persist(new Customer(1, "Ada Lovelace", photo, "ada@example.com", "likes engines")));

        try (Connection c = DriverManager.getConnection(url, user, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT name, photo, email, notes FROM customer WHERE id = 1")) {
            assertTrue(rs.next());
            PropertyCipher random = service.propertyCipher();
            assertTrue(PropertyCipher.isEncrypted(rs.getString(1)));
            assertEquals("Ada Lovelace", random.decryptString(rs.getString(1), "Customer.name"));
            byte[] storedPhoto = rs.getBytes(2);
            assertEquals(CiphertextInfo.Kind.PROPERTY, CiphertextInfo.ofBinary(storedPhoto, storedPhoto.length).kind());
            assertArrayEquals(photo, random.decrypt(storedPhoto, "Customer.photo"));
            assertEquals(service.deterministicCipher().encryptString("ada@example.com", "Customer.email"), rs.getString(3),
                    "deterministic under the derived context");
            assertEquals("likes engines", random.decryptString(rs.getString(4), "crm.customer.notes"),
                    "the @EncryptionContext override");
        }
        Customer loaded = read(em -> em.find(Customer.class, 1L));
        assertEquals("Ada Lovelace", loaded.name());
        assertArrayEquals(photo, loaded.photo());
        assertEquals("ada@example.com", loaded.email());
        assertEquals("likes engines", loaded.notes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void queryByDeterministicEmail_throughLookup_findsRowWrittenBeforeRotation(String db) throws Exception {
        open(db, Rollout.OFF);
        inTransaction(em -> em.persist(new Customer(1, "Ada", null, "ada@example.com", null)));
        service.controlPlane().rotateCdk("test");
        inTransaction(em -> em.persist(new Customer(2, "Bob", null, "bob@example.com", null)));

        String query = "select c from Customer c where c.email in :e order by c.id";
        List<String> ada = DataEncJpa.lookup(Customer.class, "email", "ada@example.com");
        assertEquals(List.of(1L), read(em -> em.createQuery(query, Customer.class).setParameter("e", ada)
                .getResultList().stream().map(Customer::id).toList()), "found under the CDK before the rotation");
        assertEquals(List.of(2L), read(em -> em.createQuery(query, Customer.class)
                .setParameter("e", DataEncJpa.lookup(Customer.class, "email", "bob@example.com"))
                .getResultList().stream().map(Customer::id).toList()));
        assertEquals("Ada", read(em -> em.createQuery(query, Customer.class).setParameter("e", ada)
                .getSingleResult().name()));

        String equality = "select c from Customer c where c.email = :e";
        assertEquals(1, (int) read(em -> em.createQuery(equality, Customer.class).setParameter("e", "bob@example.com")
                .getResultList().size()), "a plain equality finds rows under the ACTIVE CDK");
        assertEquals(0, (int) read(em -> em.createQuery(equality, Customer.class).setParameter("e", "ada@example.com")
                .getResultList().size()), "but not rows under an older one: that is what lookup is for");

        String foreign = service.deterministicCipher().encryptString("ada@example.com", "Customer.otherField");
        RuntimeException e = assertThrows(RuntimeException.class, () -> read(em -> em.createQuery(query, Customer.class)
                .setParameter("e", List.of(foreign)).getResultList()));
        assertTrue(causes(e, dev.dataenc.error.DecryptionFailedException.class), "a ciphertext of another field is refused");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void plaintextLeftOver_refusedWhenRolloutOff_readAndCountedWhenOn_encryptedOnWrite(String db) throws Exception {
        open(db, Rollout.OFF);
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, name, photo, email) VALUES (7, ?, ?, ?)")) {
            s.setString(1, "Grace Hopper");
            s.setBytes(2, "raw photo".getBytes(UTF_8));
            s.setString(3, "grace@example.com");
            s.executeUpdate();
        }
        RuntimeException refused = assertThrows(RuntimeException.class, () -> read(em -> em.find(Customer.class, 7L)));
        assertTrue(causes(refused, MalformedCiphertextException.class), "typed refusal: " + refused);
        assertTrue(!String.valueOf(refused.getMessage()).contains("Grace"), "the value is not in the message");

        DataEncJpa.install(service, Rollout.READ_PLAINTEXT);
        long before = DataEncJpa.plaintextReads().getOrDefault("Customer.name", 0L);
        Customer grace = read(em -> em.find(Customer.class, 7L));
        assertEquals("Grace Hopper", grace.name());
        assertArrayEquals("raw photo".getBytes(UTF_8), grace.photo());
        assertEquals("grace@example.com", grace.email());
        assertEquals(before + 1, DataEncJpa.plaintextReads().get("Customer.name"));
        assertNotNull(DataEncJpa.plaintextReads().get("Customer.photo"));

        inTransaction(em -> em.find(Customer.class, 7L).rename("Grace B. Hopper"));
        try (Connection c = DriverManager.getConnection(url, user, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT name, email, notes FROM customer WHERE id = 7")) {
            assertTrue(rs.next());
            assertEquals("Grace B. Hopper", service.propertyCipher().decryptString(rs.getString(1), "Customer.name"),
                    "a write encrypts, even in rollout mode");
            assertEquals(service.deterministicCipher().encryptString("grace@example.com", "Customer.email"), rs.getString(2),
                    "Hibernate rewrites every column of a changed entity (no @DynamicUpdate): encrypted too");
            assertNull(rs.getString(3));
        }
        DataEncJpa.install(service, Rollout.OFF);
    }

    private static boolean causes(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
