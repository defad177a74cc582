package dev.portmanager.spring.boot;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The port properties taken from the registry, first among the environment's property sources, carrying the
 * {@link RegistryPorts} over from the environment post-processor to the application context. Immutable.
 */
final class RegistryPortsPropertySource extends MapPropertySource {
    /** The property source's name, as the environment lists it. */
    static final String NAME = "portmanager";

    private final RegistryPorts ports;

    RegistryPortsPropertySource(RegistryPorts ports) {
        super(NAME, values(ports));
        this.ports = ports;
    }

    private static Map<String, Object> values(RegistryPorts ports) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (PortAssignment a : ports.assignments()) {
            values.put(a.property(), a.port());
        }
        return values;
    }

    /** The registry ports the post-processor put in the environment; {@link RegistryPorts#none()} if it put none. */
    static RegistryPorts find(ConfigurableEnvironment environment) {
        PropertySource<?> source = environment.getPropertySources().get(NAME);
        return source instanceof RegistryPortsPropertySource p ? p.ports : RegistryPorts.none();
    }
}
