package dev.portmanager.spring.boot;

import dev.portmanager.Allocation;
import dev.portmanager.PortManager;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's health for this application: UP while the registry can be read and still gives each port property
 * the port the application took; DOWN when the registry cannot be read (the exception is shown) or an allocation was
 * released or moved meanwhile (a restart takes the registry's port again); UNKNOWN when no port came from the
 * registry. Shown as {@code portManager} under {@code /actuator/health}. Thread-safe.
 */
public final class PortManagerHealthIndicator extends AbstractHealthIndicator {
    private final RegistryPorts ports;

    /**
     * @param ports what the starter took from the registry
     */
    public PortManagerHealthIndicator(RegistryPorts ports) {
        super("the registry cannot be read");
        this.ports = ports;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Optional<PortManager> manager = ports.manager();
        if (manager.isEmpty()) {
            builder.unknown().withDetail("reason", "no port of this application comes from the registry");
            return;
        }
        Map<String, Integer> held = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PortAssignment a : ports.assignments()) {
            held.put(a.property(), a.port());
            Optional<Allocation> live = manager.get().find(a.project(), a.service());
            if (live.isEmpty()) {
                problems.add(a.property() + ": " + a.project() + "/" + a.service() + " no longer holds a port in the "
                        + "registry (released?); this application still listens on " + a.port() + "; restart it to "
                        + "take a port again");
            } else if (live.get().port() != a.port()) {
                problems.add(a.property() + ": the registry moved " + a.project() + "/" + a.service() + " to port "
                        + live.get().port() + "; this application still listens on " + a.port() + "; restart it to "
                        + "move");
            }
        }
        builder.withDetail("store", ports.store()).withDetail("ports", held);
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("problems", problems);
        }
    }
}
