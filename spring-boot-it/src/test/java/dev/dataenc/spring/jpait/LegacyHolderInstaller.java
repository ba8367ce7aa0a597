package dev.dataenc.spring.jpait;

import dev.dataenc.inject.DataEncService;
import dev.dataenc.jpa.DataEncJpa;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * What a Spring application had to do before the starter passed the service to its EntityManagerFactory: put the
 * context's service into the process-wide holder at start. With {@code it.install-holder=true} only.
 */
@Component
@ConditionalOnProperty(name = "it.install-holder", havingValue = "true")
public class LegacyHolderInstaller {

    public LegacyHolderInstaller(DataEncService service) {
        DataEncJpa.install(service);
    }
}
