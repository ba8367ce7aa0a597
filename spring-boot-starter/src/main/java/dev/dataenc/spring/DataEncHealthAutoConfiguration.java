package dev.dataenc.spring;

import dev.dataenc.inject.DataEncService;

import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Boot 3's Actuator health indicator {@code dataEnc}: DOWN when the active keystore's master key is unusable
 * ({@link ActiveKeystoreHealth}). Only when Boot 3's {@code org.springframework.boot.actuate.health} API is present.
 */
@AutoConfiguration(after = DataEncAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(DataEncService.class)
public class DataEncHealthAutoConfiguration {

    /** The {@code dataEnc} health contributor. */
    @Bean(name = "dataEncHealthIndicator")
    @ConditionalOnMissingBean(name = "dataEncHealthIndicator")
    public HealthIndicator dataEncHealthIndicator(DataEncService service) {
        return new DataEncHealthIndicator(service);
    }
}
