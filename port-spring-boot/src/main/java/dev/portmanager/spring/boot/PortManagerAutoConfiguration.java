package dev.portmanager.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The starter's beans: {@link RegistryPorts} (what the environment post-processor took from the registry; closed with
 * the context) and, in a web application, the recorder that writes this process and its health endpoint into the
 * allocations once the web server is up. Off with {@code portmanager.enabled=false}. Spring Boot finds it through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}. Stateless; Spring calls it
 * on one thread.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "portmanager.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PortManagerProperties.class)
public final class PortManagerAutoConfiguration {

    /** Spring calls this. */
    public PortManagerAutoConfiguration() {
        // Nothing to set up.
    }

    /**
     * The ports the environment post-processor took from the registry, and its manager.
     *
     * @param environment the application's environment
     * @return the registry ports; {@link RegistryPorts#manager()} is empty when no port came from the registry
     */
    @Bean
    public RegistryPorts portManagerRegistryPorts(ConfigurableEnvironment environment) {
        return RegistryPortsPropertySource.find(environment);
    }

    /** The recorder, in applications that run a web server. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
    static final class WebServerRecording {
        @Bean
        ProcessRecorder portManagerProcessRecorder(RegistryPorts ports, ObjectProvider<HealthLocator> health) {
            return new ProcessRecorder(ports, health);
        }
    }
}
