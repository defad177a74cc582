package dev.portmanager.spring.boot;

import dev.portmanager.Allocation;
import dev.portmanager.PortManager;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Actuator endpoint {@code portmanager}: this application's allocations as the registry holds them now, one per
 * port property. Keys are snake_case as in {@code ports.json} and {@code portman --json}. Expose it over HTTP with
 * {@code management.endpoints.web.exposure.include=health,portmanager}. Thread-safe.
 */
@Endpoint(id = "portmanager")
public final class PortManagerEndpoint {
    private final RegistryPorts ports;

    /**
     * @param ports what the starter took from the registry
     */
    public PortManagerEndpoint(RegistryPorts ports) {
        this.ports = ports;
    }

    /**
     * {@code {"store": "json:/...", "ports": [{"property": "server.port", "port": 8080, "project": "shop",
     * "service": "http", "allocation": {...}}]}}; {@code allocation} is null when the registry no longer holds it.
     *
     * @return the description, read from the registry on each call
     * @throws dev.portmanager.StoreUnavailableException if the registry cannot be read
     */
    @ReadOperation
    public Map<String, Object> ports() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store", ports.store());
        List<Map<String, Object>> list = new ArrayList<>();
        Optional<PortManager> pm = ports.manager();
        for (PortAssignment a : ports.assignments()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("property", a.property());
            entry.put("port", a.port());
            entry.put("project", a.project());
            entry.put("service", a.service());
            entry.put("allocation", pm.flatMap(m -> m.find(a.project(), a.service())).map(PortManagerEndpoint::view)
                    .orElse(null));
            list.add(entry);
        }
        body.put("ports", list);
        return body;
    }

    private static Map<String, Object> view(Allocation a) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("port", a.port());
        n.put("protocol", a.protocol().name().toLowerCase(java.util.Locale.ROOT));
        n.put("host", a.host());
        n.put("range", a.range().orElse(null));
        n.put("environment", a.environment());
        n.put("status", a.status().name().toLowerCase(java.util.Locale.ROOT));
        n.put("description", a.description());
        n.put("allocated_at", a.allocatedAt().toString());
        n.put("allocated_by", a.allocatedBy());
        n.put("expires_at", a.expiresAt().map(Instant::toString).orElse(null));
        n.put("process_id", a.processId().isPresent() ? a.processId().getAsLong() : null);
        n.put("health_endpoint", a.healthEndpoint().map(Object::toString).orElse(null));
        n.put("health_status", a.healthStatus().name().toLowerCase(java.util.Locale.ROOT));
        n.put("metadata", a.metadata());
        return n;
    }
}
