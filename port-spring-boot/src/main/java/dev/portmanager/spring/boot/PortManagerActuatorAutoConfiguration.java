package dev.portmanager.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.net.URI;
import java.util.Optional;

/**
 * With Actuator: the {@code portmanager} endpoint, and where the health endpoint is served, for the recorder. Off
 * with {@code portmanager.enabled=false}. Stateless; the health locator it makes is thread-safe.
 */
@AutoConfiguration(after = PortManagerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "portmanager.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
public final class PortManagerActuatorAutoConfiguration {
    private static final EndpointId HEALTH = EndpointId.of("health");

    /** Spring calls this. */
    public PortManagerActuatorAutoConfiguration() {
        // Nothing to set up.
    }

    /**
     * The endpoint listing this application's allocations.
     *
     * @param ports what the starter took from the registry
     * @return the endpoint
     */
    @Bean
    @ConditionalOnAvailableEndpoint
    public PortManagerEndpoint portManagerEndpoint(RegistryPorts ports) {
        return new PortManagerEndpoint(ports);
    }

    @Bean
    HealthLocator portManagerHealthLocator(ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
        return (serverPort, managementPort) -> {
            PathMappedEndpoints paths = endpoints.getIfAvailable();
            String path = paths == null ? null : paths.getPath(HEALTH);
            if (path == null) {
                return Optional.empty();
            }
            Integer management = environment.getProperty("management.server.port", Integer.class);
            if (management != null && management < 0) {
                return Optional.empty();
            }
            if (management != null && !management.equals(environment.getProperty("server.port", Integer.class))) {
                return managementPort == null ? Optional.empty()
                        : Optional.of(local(managementPort, environment.getProperty("management.server.base-path", "")
                                + path));
            }
            return serverPort == null ? Optional.empty()
                    : Optional.of(local(serverPort, environment.getProperty("server.servlet.context-path", "") + path));
        };
    }

    private static URI local(int port, String path) {
        return URI.create("http://localhost:" + port + path.replaceAll("/{2,}", "/"));
    }
}
