package dev.dataenc.spring.it;

import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.local.LocalKeystore;

import dev.dataenc.metrics.DataEncMetrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts a real Spring Boot application (this module's Boot version, with Boot's managed dependency versions) with
 * the dataenc starter and an H2 database, and encrypts a customer's email end to end. The same source runs in
 * spring-boot-it/boot3 and spring-boot-it/boot4.
 */
class BootApplicationTest {

    @TempDir
    static Path dir;

    private static KeystoreSettings PRIMARY;

    @BeforeAll
    static void createKeystore() {
        // what "dataenc keystore create" does: the starter opens keystores, it never creates them
        PRIMARY = KeystoreSettings.of("primary", "local",
                Map.of("path", dir.resolve("primary.p12").toString(), "password", "it-keystore-password"));
        LocalKeystore.createMasterKey(PRIMARY);
    }

    private static String[] args(String db, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1",
                "--dataenc.base-dir=" + dir,
                "--dataenc.cipher-type=platform",
                "--dataenc.keystore.active=primary",
                "--dataenc.keystores.primary.type=local",
                "--dataenc.keystores.primary.path=primary.p12",
                "--dataenc.keystores.primary.password=it-keystore-password",
                "--dataenc.registry.use-application-datasource=true"));
        for (String e : extra) { // an extra argument replaces the default of the same key
            String key = e.substring(0, e.indexOf('=') + 1);
            a.removeIf(x -> x.startsWith(key));
            a.add(e);
        }
        return a.toArray(String[]::new);
    }

    /** One context start does it all (each start opens the keystore: 600,000 PBKDF2 iterations); ends with the key disabled. */
    @Test
    void customerEmail_encryptedInTheTableAndReadBack_healthDownOnceTheMasterKeyIsDisabled() throws Exception {
        try (ConfigurableApplicationContext ctx = SpringApplication.run(CustomerApp.class, args("app1"))) {
            assertEquals(System.getProperty("boot.expected.boot"), SpringBootVersion.getVersion());
            CustomerRepository customers = ctx.getBean(CustomerRepository.class);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ctx.getBean(DataEncMetrics.class).bindTo(meters);

            customers.save(1, "ada@example.com");

            String stored = customers.storedEmail(1);
            assertNotEquals("ada@example.com", stored);
            assertFalse(stored.contains("ada"), "the column holds ciphertext");
            assertEquals("ada@example.com", customers.email(1));
            assertEquals(1, meters.get("dataenc.operations").tag("cipher", "property").tag("operation", "encrypt")
                    .tag("outcome", "success").functionTimer().count(), "metered with Boot's Micrometer");
            assertNotNull(ctx.getBean(BlobCipher.class));
            assertNotNull(ctx.getBean(DataEncService.class));

            JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
            assertEquals(1, tables(jdbc, "DATAENC_SCHEMA_HISTORY"), "the registry lives in the application's DataSource");
            assertEquals(0, tables(jdbc, "FLYWAY_SCHEMA_HISTORY"), "Boot's own Flyway did not run on the application's database");
            assertEquals(0, ctx.getBeanNamesForType(Flyway.class).length, "no Flyway bean for the application");

            Object health = ctx.getBean("dataEncHealthIndicator");
            assertEquals("UP", status(health));
            try (LocalKeystore admin = LocalKeystore.open(PRIMARY)) {
                admin.disableMasterKey(); // as "dataenc keystore disable primary" would, from another process
            }
            try {
                assertEquals("DOWN", status(health));
                assertEquals("DISABLED", details(health).get("masterKeyState"));
            } finally {
                try (LocalKeystore admin = LocalKeystore.open(PRIMARY)) {
                    admin.enableMasterKey(); // for the other tests
                }
            }
        }
    }

    @Test
    void applicationWithFlywayMigrations_boot3RunsThemBeforeDataenc_boot4NeedsSpringBootFlyway() {
        try (ConfigurableApplicationContext ctx = SpringApplication.run(CustomerApp.class,
                args("app4", "--spring.flyway.locations=classpath:it-migration"))) {
            JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
            assertEquals(1, tables(jdbc, "DATAENC_SCHEMA_HISTORY"));
            if (SpringBootVersion.getVersion().startsWith("3.")) {
                // the application has migrations: the guard leaves Boot's Flyway on, and dataenc starts after it
                assertEquals(1, tables(jdbc, "APP_NOTE"), "the application's V1 migration ran");
                assertEquals(1, jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1'"
                        + " AND \"success\"", Integer.class));
                Boolean ordered = jdbc.queryForObject("SELECT (SELECT MAX(\"installed_on\") FROM \"flyway_schema_history\")"
                        + " <= (SELECT MIN(\"installed_on\") FROM \"dataenc_schema_history\")", Boolean.class);
                assertTrue(Boolean.TRUE.equals(ordered), "the application's migrations ran before dataenc's");
            } else {
                // Boot 4's Flyway auto-configuration lives in spring-boot-flyway, which dataenc does not bring
                assertEquals(0, tables(jdbc, "APP_NOTE"));
                assertEquals(0, tables(jdbc, "FLYWAY_SCHEMA_HISTORY"));
            }
        }
    }

    /** The status code of a Boot 3 or Boot 4 HealthIndicator's health() (the API moved between them). */
    private static String status(Object indicator) throws Exception {
        Object health = health(indicator);
        Object status = health.getClass().getMethod("getStatus").invoke(health);
        return (String) status.getClass().getMethod("getCode").invoke(status);
    }

    private static Map<?, ?> details(Object indicator) throws Exception {
        Object health = health(indicator);
        return (Map<?, ?>) health.getClass().getMethod("getDetails").invoke(health);
    }

    private static Object health(Object indicator) throws Exception {
        for (Class<?> i : indicator.getClass().getInterfaces()) {
            if (i.getSimpleName().equals("HealthIndicator")) {
                return i.getMethod("health").invoke(indicator);
            }
        }
        throw new AssertionError(indicator + " is no HealthIndicator");
    }

    @Test
    void bootManagedVersions_areTheOnesInUse() throws Exception {
        assertJar(Flyway.class, "flyway-core-" + System.getProperty("boot.expected.flyway") + ".jar");
        assertJar(Class.forName("com.zaxxer.hikari.HikariDataSource"),
                "HikariCP-" + System.getProperty("boot.expected.hikaricp") + ".jar");
        assertJar(Class.forName("org.h2.Driver"), "h2-" + System.getProperty("boot.expected.h2") + ".jar");
        assertJar(Class.forName("io.micrometer.core.instrument.MeterRegistry"),
                "micrometer-core-" + System.getProperty("boot.expected.micrometer") + ".jar");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.commons.lang3.ObjectUtils"),
                "dataenc brings no commons-lang3 (Boot 3.5's 3.17 broke commons-configuration2 before)");
    }

    @Test
    void misspeltCipherType_failsStartWithTheFilesMessage() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> SpringApplication.run(CustomerApp.class, args("app2", "--dataenc.cipher-type=platfrom")));

        DataEncConfigException config = cause(e, DataEncConfigException.class);
        assertEquals("dataenc.cipher-type", config.problems().get(0).key());
        assertTrue(config.problems().get(0).message().contains("'platfrom'"), config.getMessage());
    }

    @Test
    void registryConnectTimeout_isPassedToDataenc_andValidatedThere() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> SpringApplication.run(CustomerApp.class,
                args("app5", "--dataenc.registry.use-application-datasource=false",
                        "--dataenc.registry.connect-timeout=100ms")));

        DataEncConfigException config = cause(e, DataEncConfigException.class);
        assertEquals("dataenc.registry.connect-timeout", config.problems().get(0).key());
        assertTrue(config.problems().get(0).message().contains("out of range"), config.getMessage());
    }

    private static int tables(JdbcTemplate jdbc, String name) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = ?",
                Integer.class, name);
        return n == null ? 0 : n;
    }

    private static void assertJar(Class<?> type, String jarName) {
        String location = type.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(location.endsWith("/" + jarName), type.getName() + " comes from " + location + ", expected " + jarName);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + t, t);
    }
}
