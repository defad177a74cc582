package dev.portmanager;


import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which allocations {@link PortManager#list(AllocationQuery)} returns: every filter left unset matches everything.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * pm.list(AllocationQuery.builder().project("consilio").environment("prod").build());
 * }</pre>
 */
public final class AllocationQuery implements Predicate<Allocation> {
    private static final AllocationQuery ALL = new Builder().build();

    private final String project;
    private final String service;
    private final String range;
    private final String environment;
    private final AllocationStatus status;
    private final String host;
    private final Protocol protocol;
    private final int port;

    private AllocationQuery(Builder b) {
        this.project = b.project;
        this.service = b.service;
        this.range = b.range;
        this.environment = b.environment;
        this.status = b.status;
        this.host = b.host;
        this.protocol = b.protocol;
        this.port = b.port;
    }

    /** The query that matches every allocation. */
    public static AllocationQuery all() {
        return ALL;
    }

    /** A builder with no filter set. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /** A query for one project's allocations. */
    public static AllocationQuery project(String project) {
        return builder().project(project).build();
    }

    /**
     * Whether the allocation passes every filter. A protocol filter matches allocations that serve it, so
     * {@code TCP} matches TCP and BOTH allocations.
     *
     * @throws NullPointerException if the allocation is null
     */
    @Override
    public boolean test(Allocation a) {
        return (project == null || project.equals(a.project()))
                && (service == null || service.equals(a.service()))
                && (range == null || range.equals(a.range().orElse(null)))
                && (environment == null || environment.equals(a.environment()))
                && (status == null || status == a.status())
                && (host == null || host.equals(a.host()))
                && (protocol == null || a.protocol().covers(protocol))
                && (port == 0 || port == a.port());
    }

    /** The project filter, or null. For store implementations that translate the query. */
    public String projectFilter() {
        return project;
    }

    /** The service filter, or null. */
    public String serviceFilter() {
        return service;
    }

    /** The range filter, or null. */
    public String rangeFilter() {
        return range;
    }

    /** The environment filter, or null. */
    public String environmentFilter() {
        return environment;
    }

    /** The status filter, or null. */
    public AllocationStatus statusFilter() {
        return status;
    }

    /** The host filter (normalised), or null. */
    public String hostFilter() {
        return host;
    }

    /** The protocol filter, or null. */
    public Protocol protocolFilter() {
        return protocol;
    }

    /** The port filter, or 0 for none. */
    public int portFilter() {
        return port;
    }

    @Override
    public String toString() {
        return "AllocationQuery{" + (project == null ? "" : "project=" + project + " ")
                + (service == null ? "" : "service=" + service + " ")
                + (range == null ? "" : "range=" + range + " ")
                + (environment == null ? "" : "environment=" + environment + " ")
                + (status == null ? "" : "status=" + status + " ")
                + (host == null ? "" : "host=" + host + " ")
                + (protocol == null ? "" : "protocol=" + protocol + " ")
                + (port == 0 ? "" : "port=" + port) + "}";
    }

    /** Builds an {@link AllocationQuery}; each filter is checked as it is given. Not thread-safe; reusable. */
    public static final class Builder {
        private String project;
        private String service;
        private String range;
        private String environment;
        private AllocationStatus status;
        private String host;
        private Protocol protocol;
        private int port;

        private Builder() {
        }

        /** Only this project. @throws IllegalArgumentException if the name is invalid */
        public Builder project(String project) {
            this.project = Checks.name("project", project);
            return this;
        }

        /** Only this service. @throws IllegalArgumentException if the name is invalid */
        public Builder service(String service) {
            this.service = Checks.name("service", service);
            return this;
        }

        /** Only this range. @throws IllegalArgumentException if the name is invalid */
        public Builder range(String range) {
            this.range = Checks.name("range name", range);
            return this;
        }

        /** Only this environment. @throws IllegalArgumentException if the name is invalid */
        public Builder environment(String environment) {
            this.environment = Checks.name("environment", environment);
            return this;
        }

        /** Only this status. @throws NullPointerException if the status is null */
        public Builder status(AllocationStatus status) {
            this.status = Objects.requireNonNull(status, "status == null");
            return this;
        }

        /** Only this host. @throws IllegalArgumentException if the name is invalid */
        public Builder host(String host) {
            this.host = Checks.host(host);
            return this;
        }

        /** Only allocations serving this protocol. @throws NullPointerException if the protocol is null */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol == null");
            return this;
        }

        /** Only this port. @throws IllegalArgumentException if the port is outside 1-65535 */
        public Builder port(int port) {
            this.port = Checks.port("port", port);
            return this;
        }

        /** Builds the query. */
        public AllocationQuery build() {
            return new AllocationQuery(this);
        }
    }
}
