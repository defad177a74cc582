package dev.portmanager.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot's health support: the {@code portManager} health indicator. Off with
 * {@code portmanager.enabled=false} or {@code management.health.portmanager.enabled=false}. Stateless.
 */
@AutoConfiguration(after = PortManagerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "portmanager.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("portmanager")
public final class PortManagerHealthAutoConfiguration {

    /** Spring calls this. */
    public PortManagerHealthAutoConfiguration() {
        // Nothing to set up.
    }

    /**
     * The indicator.
     *
     * @param ports what the starter took from the registry
     * @return the indicator
     */
    @Bean
    public PortManagerHealthIndicator portManagerHealthIndicator(RegistryPorts ports) {
        return new PortManagerHealthIndicator(ports);
    }
}
