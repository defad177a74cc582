package dev.portmanager.spring.boot;

import dev.portmanager.metrics.PortMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer and {@code dev.portmanager:port-metrics} on the class path: the registry's meters
 * ({@code portmanager.range.*}, {@code portmanager.allocations}, {@code portmanager.events},
 * {@code portmanager.allocation}) as a {@link MeterBinder} bean, which Spring Boot binds to every {@link MeterRegistry}
 * (Actuator's Prometheus endpoint included). Off with {@code portmanager.enabled=false}. Stateless.
 */
@AutoConfiguration(after = PortManagerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "portmanager.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder",
        "dev.portmanager.metrics.PortMetrics"})
public final class PortManagerMetricsAutoConfiguration {

    /** Spring calls this. */
    public PortManagerMetricsAutoConfiguration() {
        // Nothing to set up.
    }

    /**
     * The meters of the manager the starter opened; binds nothing when no port came from the registry. Closed with
     * the context, which stops the counting.
     *
     * @param ports what the starter took from the registry
     * @return the binder
     */
    @Bean
    public RegistryMeters portManagerMeters(RegistryPorts ports) {
        return new RegistryMeters(ports.manager().map(PortMetrics::of).orElse(null));
    }

    /** {@link PortMetrics} for the starter's manager, or nothing. Thread-safe. */
    public static final class RegistryMeters implements MeterBinder, AutoCloseable {
        private final PortMetrics metrics;

        RegistryMeters(PortMetrics metrics) {
            this.metrics = metrics;
        }

        /**
         * Registers the meters, if the starter took a port from the registry.
         *
         * @throws NullPointerException if the registry is null
         */
        @Override
        public void bindTo(MeterRegistry registry) {
            if (metrics != null) {
                metrics.bindTo(registry);
            }
        }

        /** Stops counting; idempotent. */
        @Override
        public void close() {
            if (metrics != null) {
                metrics.close();
            }
        }
    }
}
