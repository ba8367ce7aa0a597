package dev.dataenc.spring;

import dev.dataenc.inject.DataEncService;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Boot 4's health indicator {@code dataEnc} (the health API moved to {@code org.springframework.boot.health.contributor},
 * module {@code spring-boot-health}): DOWN when the active keystore's master key is unusable ({@link ActiveKeystoreHealth}).
 */
@AutoConfiguration(after = DataEncAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(DataEncService.class)
public class DataEncBoot4HealthAutoConfiguration {

    /** The {@code dataEnc} health contributor. */
    @Bean(name = "dataEncHealthIndicator")
    @ConditionalOnMissingBean(name = "dataEncHealthIndicator")
    public HealthIndicator dataEncHealthIndicator(DataEncService service) {
        return new DataEncBoot4HealthIndicator(service);
    }
}
