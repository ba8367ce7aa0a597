package dev.dataenc.spring;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.metrics.DataEncMetrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * dataenc's Micrometer meters ({@link DataEncMetrics}) as a {@code MeterBinder} bean, which Boot's metrics
 * auto-configuration binds to the application's registry. Only when Micrometer is on the class path.
 */
@AutoConfiguration(after = DataEncAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(DataEncService.class)
public class DataEncMetricsAutoConfiguration {

    /** The meters of the running service. */
    @Bean
    @ConditionalOnMissingBean
    public DataEncMetrics dataEncMetrics(DataEncService service) {
        return new DataEncMetrics(service);
    }
}
