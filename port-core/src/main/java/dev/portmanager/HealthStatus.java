package dev.portmanager;


/** The last known health of the service behind an allocation, as in the Atlas registry. Thread-safe. */
public enum HealthStatus {
    /** Never checked. */
    UNKNOWN,
    /** The last check passed. */
    HEALTHY,
    /** Something answered on the port but the check failed. */
    UNHEALTHY,
    /** Nothing listens on the port. */
    NOT_RUNNING;

    /**
     * Parses {@code unknown}, {@code healthy}, {@code unhealthy} or {@code not_running} ({@code not-running}),
     * in any case.
     *
     * @throws IllegalArgumentException if the text names none of them
     * @throws NullPointerException     if the text is null
     */
    public static HealthStatus parse(String text) {
        return Checks.parseEnum(HealthStatus.class, "health status", text);
    }
}
