package dev.portmanager.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.Allocation;
import dev.portmanager.PortManager;
import dev.portmanager.wire.RegistryJson;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Actuator endpoint {@code portmanager}: this application's allocations as the registry holds them now, one per
 * port property. Each allocation is in the one JSON form of every face: {@code portman show --json}'s. Expose it
 * over HTTP with {@code management.endpoints.web.exposure.include=health,portmanager}. Thread-safe.
 */
@Endpoint(id = "portmanager")
public final class PortManagerEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** The allocation in the one JSON form every face answers with ({@code portman show --json}'s). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> view(Allocation a) {
        return JSON.convertValue(RegistryJson.allocation(a), Map.class);
    }
}
