package dev.portmanager.launch;

import dev.portmanager.HealthResult;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One defined service as {@link Launcher#status} saw it. Immutable and thread-safe.
 *
 * @param service the service
 * @param port    its port
 * @param pid     its running process, 0 when none runs
 * @param health  its health check; {@code NOT_RUNNING} when no process runs
 */
public record ServiceStatus(String service, int port, long pid, HealthResult health) {

    /** Checks the components. @throws NullPointerException if one is null */
    public ServiceStatus {
        Objects.requireNonNull(service, "service == null");
        Objects.requireNonNull(health, "health == null");
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
        return service + " " + port + ": " + (pid == 0 ? "not running" : "pid " + pid + ", " + health);
    }
}
