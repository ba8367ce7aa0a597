package dev.dataenc.spring.jpait;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A JPA host application: Boot's auto-configuration (Hibernate through spring-boot-starter-data-jpa), the dataenc
 * starter, the {@code jpa} module and one entity with encrypted attributes. Its own package, so that the JDBC
 * application of {@code dev.dataenc.spring.it} does not pick up its entity or components.
 */
@SpringBootApplication
public class AccountApp {
}
