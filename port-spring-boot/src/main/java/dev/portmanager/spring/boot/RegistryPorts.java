package dev.portmanager.spring.boot;

import dev.portmanager.PortManager;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the starter took from the registry for this application: the manager it opened and the port properties it set.
 * A bean of the application context; closing it (the context does, on shutdown) closes the manager. The allocations
 * stay in the registry, so the next start gets the same ports. Thread-safe.
 */
public final class RegistryPorts implements AutoCloseable {
    private static final RegistryPorts NONE = new RegistryPorts(null, "", List.of());

    private final PortManager manager;
    private final String store;
    private final List<PortAssignment> assignments;

    RegistryPorts(PortManager manager, String store, List<PortAssignment> assignments) {
        this.manager = manager;
        this.store = Objects.requireNonNull(store, "store == null");
        this.assignments = List.copyOf(assignments);
    }

    /** No port from the registry: the starter is off, or every port property was set explicitly. */
    static RegistryPorts none() {
        return NONE;
    }

    /** The manager the ports came from; empty when no port came from the registry. */
    public Optional<PortManager> manager() {
        return Optional.ofNullable(manager);
    }

    /** The store's name, password masked, such as {@code json:/home/ana/.portmanager/ports.json}; empty when none. */
    public String store() {
        return store;
    }

    /** The port properties set from the registry, {@code server.port} first. */
    public List<PortAssignment> assignments() {
        return assignments;
    }

    /** Closes the manager; idempotent. The allocations stay in the registry. */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "RegistryPorts" + assignments + (store.isEmpty() ? "" : " from " + store);
    }
}
