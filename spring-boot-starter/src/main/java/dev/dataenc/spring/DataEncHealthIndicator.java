package dev.dataenc.spring;

import dev.dataenc.control.ActiveKeystoreHealth;
import dev.dataenc.inject.DataEncService;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.Objects;

/** Boot 3's health indicator {@code dataEnc}: DOWN when the active keystore's master key is unusable, with its state and remedy. */
public class DataEncHealthIndicator implements HealthIndicator {

    private final DataEncService service;

    /** @param service the running service */
    public DataEncHealthIndicator(DataEncService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public Health health() {
        ActiveKeystoreHealth h = ActiveKeystoreHealth.of(service.controlPlane());
        Health.Builder b = h.up() ? Health.up() : Health.down();
        b.withDetail("activeKeystore", h.activeKeystore()).withDetail("masterKeyState", h.state().name());
        if (!h.up()) {
            b.withDetail("remedy", h.remedy());
        }
        return b.build();
    }
}
