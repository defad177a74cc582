package dev.portmanager.spring.boot;

import dev.portmanager.AllocationUpdate;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Once a web server is up, records in each allocation on its port what the audit needs to tell this application from
 * a foreign process: this process's id, and the health endpoint when Actuator serves one. A separate management
 * server reports its own event; the health endpoint is recorded once its port is known. A failure to record is
 * logged at warn and never stops the application. Thread-safe.
 */
final class ProcessRecorder implements ApplicationListener<WebServerInitializedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRecorder.class);
    private static final String MANAGEMENT = "management";

    private final RegistryPorts ports;
    private final ObjectProvider<HealthLocator> health;
    private final Map<PortAssignment, Optional<URI>> recorded = new HashMap<>();
    private Integer serverPort;
    private Integer managementPort;

    ProcessRecorder(RegistryPorts ports, ObjectProvider<HealthLocator> health) {
        this.ports = ports;
        this.health = health;
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        PortManager pm = ports.manager().orElse(null);
        if (pm == null) {
            return;
        }
        int port = event.getWebServer().getPort();
        if (MANAGEMENT.equals(event.getApplicationContext().getServerNamespace())) {
            managementPort = port;
        } else {
            serverPort = port;
        }
        HealthLocator locator = health.getIfAvailable();
        Optional<URI> endpoint = locator == null ? Optional.empty() : locator.locate(serverPort, managementPort);
        long pid = ProcessHandle.current().pid();
        for (PortAssignment a : ports.assignments()) {
            boolean up = Integer.valueOf(a.port()).equals(serverPort) || Integer.valueOf(a.port()).equals(managementPort);
            Optional<URI> before = recorded.get(a);
            if (up && (before == null || (before.isEmpty() && endpoint.isPresent()))) {
                record(pm, a, pid, endpoint);
            }
        }
    }

    private void record(PortManager pm, PortAssignment a, long pid, Optional<URI> endpoint) {
        AllocationUpdate.Builder update = AllocationUpdate.builder().processId(pid);
        endpoint.ifPresent(update::healthEndpoint);
        try {
            pm.update(a.project(), a.service(), update.build());
            recorded.put(a, endpoint);
            LOG.info("{} {}/{}: recorded process {}{} in the registry {}", a.property(), a.project(), a.service(),
                    pid, endpoint.map(u -> " and health endpoint " + u).orElse(""), ports.store());
        } catch (PortManagerException e) {
            LOG.warn("{} {}/{}: could not record process {} in the registry {}: {}", a.property(), a.project(),
                    a.service(), pid, ports.store(), e.getMessage());
        }
    }
}
