package dev.portmanager.spring.boot;

import dev.portmanager.Checks;

import java.util.Objects;

/**
 * One port property of the application set from the registry: {@code server.port=8080} as project {@code shop},
 * service {@code http}. Immutable and thread-safe.
 *
 * @param property the Spring property set, such as {@code server.port}
 * @param project  the project the allocation belongs to
 * @param service  the service the allocation belongs to
 * @param port     the port the registry gave
 */
public record PortAssignment(String property, String project, String service, int port) {

    /**
     * Checks every component.
     *
     * @throws NullPointerException     if a name is null
     * @throws IllegalArgumentException if a name is blank or the port is outside 1-65535
     */
    public PortAssignment {
        Objects.requireNonNull(property, "property == null");
        if (property.isBlank()) {
            throw new IllegalArgumentException("property must not be blank; name a port property such as server.port");
        }
        Checks.name("project", project);
        Checks.name("service", service);
        Checks.port("port", port);
    }

    /** {@code server.port=8080 (shop/http)}. */
    @Override
    public String toString() {
        return property + "=" + port + " (" + project + "/" + service + ")";
    }
}
