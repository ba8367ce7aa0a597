package dev.dataenc.spring;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.jpa.DataEncJpa;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Boot 3: gives the auto-configured EntityManagerFactory this context's {@link DataEncService} for the encrypted
 * attribute types of module {@code jpa} (the Hibernate setting {@link DataEncJpa#SERVICE}), so that two application
 * contexts in one JVM each use their own service. Only when the {@code jpa} module and Boot 3's
 * {@code org.springframework.boot.autoconfigure.orm.jpa} API are present; Boot 4's counterpart is
 * {@link DataEncBoot4JpaAutoConfiguration}.
 */
@AutoConfiguration(after = DataEncAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.dataenc.jpa.DataEncJpa",
        "org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer"})
@ConditionalOnBean(DataEncService.class)
public class DataEncJpaAutoConfiguration {

    /**
     * Puts the service (as a supplier, asked at the first encrypted read or write) into the Hibernate properties under
     * {@link DataEncJpa#SERVICE}, unless something already did ({@code spring.jpa.properties.dataenc.jpa.service}
     * or an earlier customizer).
     */
    @Bean(name = "dataEncHibernatePropertiesCustomizer")
    @ConditionalOnMissingBean(name = "dataEncHibernatePropertiesCustomizer")
    public HibernatePropertiesCustomizer dataEncHibernatePropertiesCustomizer(ObjectProvider<DataEncService> service) {
        return properties -> JpaServiceSetting.apply(properties, service);
    }
}
