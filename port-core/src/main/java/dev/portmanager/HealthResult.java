package dev.portmanager;


import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The outcome of one {@link HealthCheck}. Immutable and thread-safe.
 *
 * @param status     {@link HealthStatus#HEALTHY}, {@link HealthStatus#UNHEALTHY} (something answered, or nothing
 *                   answered in time), {@link HealthStatus#NOT_RUNNING} (the connection was refused: nothing listens)
 *                   or {@link HealthStatus#UNKNOWN} (the check was interrupted)
 * @param latency    from the start of the check until its answer or failure
 * @param detail     one sentence for a person, such as {@code HTTP 200 from http://localhost:8765/health}
 * @param httpStatus the HTTP status code of an HTTP check that got an answer; empty otherwise
 */
public record HealthResult(HealthStatus status, Duration latency, String detail, OptionalInt httpStatus) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the latency is negative
     * @throws NullPointerException     if a component is null
     */
    public HealthResult {
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(latency, "latency == null");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency " + latency + " is negative");
        }
        Objects.requireNonNull(detail, "detail == null");
        Objects.requireNonNull(httpStatus, "httpStatus == null");
    }

    /** Whether the status is {@link HealthStatus#HEALTHY}. */
    public boolean healthy() {
        return status == HealthStatus.HEALTHY;
    }

    /** {@code HEALTHY in 3 ms: HTTP 200 from http://localhost:8765/health}. */
    @Override
    public String toString() {
        return status + " in " + latency.toMillis() + " ms: " + detail;
    }
}
