package dev.portmanager.launch;

import dev.portmanager.HealthResult;
import dev.portmanager.ResourceUsage;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One defined service as {@link Launcher#status} saw it. Immutable and thread-safe.
 *
 * @param service the service
 * @param port    its port
 * @param pid     its running process, 0 when none runs
 * @param health    its health check; {@code NOT_RUNNING} when no process runs
 * @param resources what its process uses (CPU time, resident memory; see {@link ResourceUsage}), empty when none
 *                  runs
 */
public record ServiceStatus(String service, int port, long pid, HealthResult health,
                            Optional<ResourceUsage> resources) {

    /** Checks the components. @throws NullPointerException if one is null */
    public ServiceStatus {
        Objects.requireNonNull(service, "service == null");
        Objects.requireNonNull(health, "health == null");
        Objects.requireNonNull(resources, "resources == null");
    }

    /** A status whose resource use was not read. @throws NullPointerException if a component is null */
    public ServiceStatus(String service, int port, long pid, HealthResult health) {
        this(service, port, pid, health, Optional.empty());
    }

    /** Whether its process runs. */
    public boolean running() {
        return pid != 0;
    }

    /** Its process, when one runs. */
    public OptionalLong process() {
        return pid == 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    @Override
    public String toString() {
        return service + " " + port + ": " + (pid == 0 ? "not running" : "pid " + pid + ", " + health
                + resources.map(r -> ", cpu " + r.cpuText() + ", rss " + r.memoryText()).orElse(""));
    }
}
