package dev.dataenc.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.util.Map;

/**
 * Keeps dataenc's {@code flyway-core} (the CDK registry's schema tool) from switching on Spring Boot 3's Flyway
 * auto-configuration for the application's own database. Unless the application sets {@code spring.flyway.enabled}
 * itself, or has migrations at {@code spring.flyway.locations} (default {@code classpath:db/migration}), it adds
 * {@code spring.flyway.enabled=false} as the lowest-precedence default. An application that uses Flyway is
 * unaffected. Boot 4 needs no guard: its Flyway auto-configuration is in {@code spring-boot-flyway}, which dataenc
 * does not bring.
 */
public class FlywayGuard implements EnvironmentPostProcessor, Ordered {

    /** The property source holding the default. */
    public static final String SOURCE = "dataenc-flyway-guard";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.flyway.enabled")) {
            return;
        }
        String locations = environment.getProperty("spring.flyway.locations", "classpath:db/migration");
        ClassLoader loader = application.getClassLoader();
        if (hasMigrations(locations, loader)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of("spring.flyway.enabled", "false")));
    }

    private static boolean hasMigrations(String locations, ClassLoader loader) {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(loader);
        for (String raw : locations.split(",")) {
            String location = raw.trim();
            if (location.isEmpty()) {
                continue;
            }
            if (!location.startsWith("classpath:") && !location.startsWith("filesystem:")) {
                location = "classpath:" + location;
            }
            if (location.contains("{")) {
                return true; // a vendor placeholder: cannot tell, leave Flyway as configured
            }
            String pattern = location.startsWith("filesystem:")
                    ? "file:" + location.substring("filesystem:".length()) + "/**/*"
                    : "classpath*:" + location.substring("classpath:".length()) + "/**/*";
            try {
                if (resolver.getResources(pattern).length > 0) {
                    return true;
                }
            } catch (IOException e) {
                return true; // cannot tell: leave Flyway as configured
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
