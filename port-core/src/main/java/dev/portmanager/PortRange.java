package dev.portmanager;


/**
 * A named, inclusive span of ports that allocations are taken from, such as {@code web 8080-8099}.
 * Ranges live in the store, so every process sharing a registry agrees on them.
 *
 * <p>Immutable and thread-safe. Create with {@link #of(String, int, int)}.
 *
 * @param name         unique name of the range, such as {@code web}
 * @param start        first port, inclusive, 1-65535
 * @param end          last port, inclusive, {@code start <= end <= 65535}
 * @param description  what the range is for; empty when none
 * @param autoAllocate whether requests that name no port may be served from this range
 */
public record PortRange(String name, int start, int end, String description, boolean autoAllocate) {

    /**
     * Checks every component.
     *
     * @throws IllegalArgumentException if the name is invalid, a port is outside 1-65535 or start is after end
     * @throws NullPointerException     if name or description is null
     */
    public PortRange {
        Checks.name("range name", name);
        Checks.port("range '" + name + "' start", start);
        Checks.port("range '" + name + "' end", end);
        if (start > end) {
            throw new IllegalArgumentException("range '" + name + "' start " + start + " is after its end " + end
                    + "; swap them (" + end + "-" + start + ")");
        }
        Checks.text("range '" + name + "' description", description);
    }

    /**
     * A range with no description that serves automatic allocation.
     *
     * @throws IllegalArgumentException if the name is invalid, a port is outside 1-65535 or start is after end
     * @throws NullPointerException     if the name is null
     */
    public static PortRange of(String name, int start, int end) {
        return new PortRange(name, start, end, "", true);
    }

    /**
     * A range with a description that serves automatic allocation.
     *
     * @throws IllegalArgumentException if the name or description is invalid, a port is outside 1-65535 or start is
     *                                  after end
     * @throws NullPointerException     if the name or description is null
     */
    public static PortRange of(String name, int start, int end, String description) {
        return new PortRange(name, start, end, description, true);
    }

    /**
     * The six Atlas ranges, stored in a registry that has no ranges: web 8080-8099, database 5432-5439, testing
     * 9000-9099, debug 5555-5564, api 3000-3099, cache 6379-6389.
     */
    public static java.util.List<PortRange> standardRanges() {
        return STANDARD;
    }

    private static final java.util.List<PortRange> STANDARD = java.util.List.of(
            of("web", 8080, 8099, "HTTP web servers and frontend development servers"),
            of("database", 5432, 5439, "Database services (PostgreSQL, MySQL, MongoDB)"),
            of("testing", 9000, 9099, "Test runners, test servers, mock services"),
            of("debug", 5555, 5564, "Debugger connections and debugging proxies"),
            of("api", 3000, 3099, "REST APIs, GraphQL servers, backend services"),
            of("cache", 6379, 6389, "Redis, Memcached, and other caching services"));

    /** The number of ports in the range. */
    public int size() {
        return end - start + 1;
    }

    /** Whether {@code port} lies in the range. */
    public boolean contains(int port) {
        return port >= start && port <= end;
    }

    /**
     * Whether the two ranges share a port.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public boolean overlaps(PortRange other) {
        return other.start <= end && start <= other.end;
    }

    /**
     * Whether a stored range and this one describe the same ports: same name, start, end and auto-allocation.
     * Descriptions may differ.
     */
    public boolean sameSpanAs(PortRange other) {
        return name.equals(other.name) && start == other.start && end == other.end
                && autoAllocate == other.autoAllocate;
    }

    /** {@code name start-end}, as in messages and the CLI. */
    @Override
    public String toString() {
        return "'" + name + "' " + start + "-" + end;
    }
}
