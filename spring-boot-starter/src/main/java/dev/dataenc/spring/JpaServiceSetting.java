package dev.dataenc.spring;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.jpa.DataEncJpa;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The Hibernate property both Boot lines' customizers set. The service goes in as a {@link Supplier}, asked at the
 * first encrypted read or write: the EntityManagerFactory then does not depend on the service bean, which with
 * {@code spring.jpa.defer-datasource-initialization=true} itself waits for the EntityManagerFactory (the service is
 * created after the database initialisation, and JPA is then part of it).
 */
final class JpaServiceSetting {

    private JpaServiceSetting() {
    }

    static void apply(Map<String, Object> hibernateProperties, ObjectProvider<DataEncService> service) {
        Supplier<DataEncService> supplier = service::getObject;
        hibernateProperties.putIfAbsent(DataEncJpa.SERVICE, supplier);
    }
}
