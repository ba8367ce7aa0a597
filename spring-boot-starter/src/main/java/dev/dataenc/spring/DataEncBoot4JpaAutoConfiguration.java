package dev.dataenc.spring;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.jpa.DataEncJpa;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Boot 4: as {@link DataEncJpaAutoConfiguration}, with Boot 4's {@code HibernatePropertiesCustomizer} (moved to
 * {@code org.springframework.boot.hibernate.autoconfigure}, module {@code spring-boot-hibernate}).
 */
@AutoConfiguration(after = DataEncAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.dataenc.jpa.DataEncJpa",
        "org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer"})
@ConditionalOnBean(DataEncService.class)
public class DataEncBoot4JpaAutoConfiguration {

    /** As {@link DataEncJpaAutoConfiguration#dataEncHibernatePropertiesCustomizer}: the setting {@link DataEncJpa#SERVICE}. */
    @Bean(name = "dataEncHibernatePropertiesCustomizer")
    @ConditionalOnMissingBean(name = "dataEncHibernatePropertiesCustomizer")
    public HibernatePropertiesCustomizer dataEncHibernatePropertiesCustomizer(ObjectProvider<DataEncService> service) {
        return properties -> JpaServiceSetting.apply(properties, service);
    }
}
