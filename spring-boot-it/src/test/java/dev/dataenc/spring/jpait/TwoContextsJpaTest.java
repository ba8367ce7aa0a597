package dev.dataenc.spring.jpait;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.jpa.DataEncJpa;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.local.LocalKeystore;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Spring Boot applications with JPA and different dataenc configurations (each its own {@code local} keystore
 * and its own H2 database, which holds its CDK registry) alive in one JVM, as Spring's test-context cache keeps them:
 * each encrypts its entities with its own service, which the starter passed to its EntityManagerFactory. Context B
 * also puts its service into the process-wide holder at start ({@link LegacyHolderInstaller}, as applications did
 * before), which context A must not pick up; context A defers its data source initialisation until after JPA
 * ({@code spring.jpa.defer-datasource-initialization}), so its service starts after its EntityManagerFactory.
 */
class TwoContextsJpaTest {

    @TempDir
    static Path dir;

    private static String[] args(String name, String... extra) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        // what "dataenc keystore create" does: the starter opens keystores, it never creates them
        LocalKeystore.createMasterKey(KeystoreSettings.of(name, "local",
                Map.of("path", home.resolve(name + ".p12").toString(), "password", "it-password-" + name)));
        List<String> a = new java.util.ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=jdbc:h2:mem:jpa-" + name + ";DB_CLOSE_DELAY=-1",
                "--spring.jpa.open-in-view=false",
                "--dataenc.base-dir=" + home,
                "--dataenc.cipher-type=platform",
                "--dataenc.keystore.active=" + name,
                "--dataenc.keystores." + name + ".type=local",
                "--dataenc.keystores." + name + ".path=" + name + ".p12",
                "--dataenc.keystores." + name + ".password=it-password-" + name,
                "--dataenc.registry.use-application-datasource=true"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void twoContexts_eachRoundTripsItsEntitiesUnderItsOwnCdk() throws Exception {
        try (ConfigurableApplicationContext a = SpringApplication.run(AccountApp.class,
                args("a", "--spring.jpa.defer-datasource-initialization=true"))) {
            assertEquals(System.getProperty("boot.expected.boot"), SpringBootVersion.getVersion());
            assertEquals(System.getProperty("boot.expected.hibernate"), org.hibernate.Version.getVersionString(), "Boot's Hibernate");
            DataEncService serviceA = a.getBean(DataEncService.class);
            ConfigurableApplicationContext b = SpringApplication.run(AccountApp.class, args("b", "--it.install-holder=true"));
            DataEncService serviceB = b.getBean(DataEncService.class);
            try {
                assertNotEquals(activeCdk(serviceA), activeCdk(serviceB));

                inTransaction(a, em -> em.persist(new Account(1, "Ada Lovelace", "ada@example.com")));
                inTransaction(b, em -> em.persist(new Account(1, "Bob Bemer", "bob@example.com")));

                assertStoredUnder(a, 1, serviceA, serviceB, "Ada Lovelace", "ada@example.com");
                assertStoredUnder(b, 1, serviceB, serviceA, "Bob Bemer", "bob@example.com");
                assertLoads(a, 1, "Ada Lovelace", "ada@example.com");
                assertLoads(b, 1, "Bob Bemer", "bob@example.com");

                // the query helper through each context's (proxied) EntityManagerFactory: that context's service
                String query = "select x from Account x where x.email in :e";
                List<String> ada = DataEncJpa.lookup(a.getBean(EntityManagerFactory.class), Account.class, "email",
                        "ada@example.com");
                assertEquals(serviceA.deterministicCipher().lookupStrings("ada@example.com", "Account.email"), ada);
                assertEquals(List.of(1L), read(a, em -> em.createQuery(query, Account.class).setParameter("e", ada)
                        .getResultList().stream().map(Account::id).toList()));
                List<String> bob = DataEncJpa.lookup(b.getBean(EntityManagerFactory.class), Account.class, "email",
                        "bob@example.com");
                assertEquals(List.of(1L), read(b, em -> em.createQuery(query, Account.class).setParameter("e", bob)
                        .getResultList().stream().map(Account::id).toList()));
            } finally {
                b.close();
            }

            // B is gone (its service closed, the holder still holds it): A goes on with its own
            inTransaction(a, em -> em.persist(new Account(2, "Alan Turing", "alan@example.com")));
            assertStoredUnder(a, 2, serviceA, null, "Alan Turing", "alan@example.com");
            assertLoads(a, 2, "Alan Turing", "alan@example.com");
        }
    }

    private static CdkId activeCdk(DataEncService service) {
        return service.controlPlane().registry().findActive().orElseThrow().id();
    }

    private static void inTransaction(ConfigurableApplicationContext ctx, Consumer<EntityManager> work) {
        EntityManager em = ctx.getBean(EntityManagerFactory.class).createEntityManager();
        try {
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static <T> T read(ConfigurableApplicationContext ctx, Function<EntityManager, T> work) {
        EntityManager em = ctx.getBean(EntityManagerFactory.class).createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private static void assertLoads(ConfigurableApplicationContext ctx, long id, String holder, String email) {
        Account loaded = read(ctx, em -> em.find(Account.class, id));
        assertEquals(holder, loaded.holder());
        assertEquals(email, loaded.email());
    }

    /** The raw row names {@code own}'s ACTIVE CDK, decrypts with {@code own}, and not with {@code other} (unless null). */
    private static void assertStoredUnder(ConfigurableApplicationContext ctx, long id, DataEncService own,
                                          DataEncService other, String holder, String email) {
        Map<String, Object> row = ctx.getBean(JdbcTemplate.class)
                .queryForMap("SELECT holder, email FROM account WHERE id = ?", id);
        String storedHolder = (String) row.get("HOLDER");
        String storedEmail = (String) row.get("EMAIL");
        assertTrue(storedHolder.startsWith("dataenc:v1:"), storedHolder);
        assertEquals(activeCdk(own), CiphertextInfo.ofText(storedHolder).cdkId(), "row " + id + ": under its own context's CDK");
        assertEquals(holder, own.propertyCipher().decryptString(storedHolder, "Account.holder"));
        assertEquals(activeCdk(own), CiphertextInfo.ofText(storedEmail).cdkId());
        assertEquals(own.deterministicCipher().encryptString(email, "Account.email"), storedEmail);
        if (other != null) {
            assertThrows(UnknownCdkException.class, () -> other.propertyCipher().decryptString(storedHolder, "Account.holder"));
        }
    }
}
