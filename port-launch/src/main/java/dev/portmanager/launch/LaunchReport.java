package dev.portmanager.launch;

import dev.portmanager.ResourceUsage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Launcher#up}, {@link Launcher#down} or {@link Launcher#restart} did, service by service, in the order
 * it acted. Immutable and thread-safe.
 *
 * @param services one entry per service acted on
 */
public record LaunchReport(List<Step> services) {

    /** Copies the list. */
    public LaunchReport {
        services = List.copyOf(services);
    }

    /** Whether every step succeeded. */
    public boolean ok() {
        return services.stream().allMatch(s -> s.outcome() != Outcome.FAILED && s.outcome() != Outcome.CONFLICT);
    }

    /** What happened to one service. */
    public enum Outcome {
        /** Its port is free, and it is not running: {@link Launcher#check}, or an {@code up} a conflict stopped. */
        READY,
        /** Started, and its health check passed. */
        STARTED,
        /** Its recorded process was running already; left as it was. */
        ALREADY_RUNNING,
        /** Stopped. */
        STOPPED,
        /** Nothing to stop: it was not running. */
        NOT_RUNNING,
        /** Its port was held by another process; with a dry run nothing was started. */
        CONFLICT,
        /** It could not be started or became healthy; what was started with it was stopped again. */
        FAILED,
        /** Started, then stopped again because another service failed. */
        ROLLED_BACK
    }

    /**
     * One service's step.
     *
     * @param service the service
     * @param port    its port
     * @param pid     its process, 0 when none
     * @param outcome what happened
     * @param detail    why, in words
     * @param resources what its process used when the step ended (CPU time, resident memory), empty when no
     *                  process runs
     */
    public record Step(String service, int port, long pid, Outcome outcome, String detail,
                       Optional<ResourceUsage> resources) {
        /** Checks the components. @throws NullPointerException if one is null */
        public Step {
            Objects.requireNonNull(service, "service == null");
            Objects.requireNonNull(outcome, "outcome == null");
            Objects.requireNonNull(detail, "detail == null");
            Objects.requireNonNull(resources, "resources == null");
        }

        /** A step whose resource use was not read. @throws NullPointerException if a component is null */
        public Step(String service, int port, long pid, Outcome outcome, String detail) {
            this(service, port, pid, outcome, detail, Optional.empty());
        }

        @Override
        public String toString() {
            return service + " " + port + (pid == 0 ? "" : " (pid " + pid + ")") + ": " + outcome
                    + (detail.isEmpty() ? "" : ", " + detail)
                    + resources.map(r -> " (cpu " + r.cpuText() + ", rss " + r.memoryText() + ")").orElse("");
        }
    }
}
