package dev.portmanager;


import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One port held by one service: the registry's record of who owns which port.
 *
 * <p>An allocation is <em>live</em> until it is released, its {@link #expiresAt() lease expires} or its
 * {@link #owner() owner process} is gone. Among live allocations a (host, port) pair is unique per protocol, and a
 * (host, project, service, environment) has at most one allocation.
 *
 * <p>Immutable and thread-safe. Stores build them with {@link #builder()}; applications get them from
 * {@link PortManager}.
 */
public final class Allocation {
    private final String id;
    private final int port;
    private final Protocol protocol;
    private final String host;
    private final String project;
    private final String service;
    private final String range;
    private final String environment;
    private final AllocationStatus status;
    private final String description;
    private final Instant allocatedAt;
    private final String allocatedBy;
    private final Instant expiresAt;
    private final ProcessOwner owner;
    private final Long processId;
    private final URI healthEndpoint;
    private final HealthStatus healthStatus;
    private final Instant lastHealthCheck;
    private final Map<String, String> metadata;

    private Allocation(Builder b) {
        this.id = Checks.name("allocation id", Objects.requireNonNull(b.id, "id == null"));
        this.port = Checks.port("port", b.port);
        this.protocol = Objects.requireNonNull(b.protocol, "protocol == null");
        this.host = Checks.host(Objects.requireNonNull(b.host, "host == null"));
        this.project = Checks.name("project", Objects.requireNonNull(b.project, "project == null"));
        this.service = Checks.name("service", Objects.requireNonNull(b.service, "service == null"));
        this.range = b.range == null ? null : Checks.name("range name", b.range);
        this.environment = Checks.name("environment", Objects.requireNonNull(b.environment, "environment == null"));
        this.status = Objects.requireNonNull(b.status, "status == null");
        this.description = Checks.text("description", b.description);
        this.allocatedAt = Objects.requireNonNull(b.allocatedAt, "allocatedAt == null");
        this.allocatedBy = Checks.name("allocatedBy", Objects.requireNonNull(b.allocatedBy, "allocatedBy == null"));
        this.expiresAt = b.expiresAt;
        this.owner = b.owner;
        this.processId = b.processId;
        this.healthEndpoint = b.healthEndpoint;
        this.healthStatus = Objects.requireNonNull(b.healthStatus, "healthStatus == null");
        this.lastHealthCheck = b.lastHealthCheck;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    }

    /**
     * A builder with the defaults: protocol TCP, host {@code localhost}, environment {@code default}, status
     * ACTIVE, health UNKNOWN, empty description and metadata. Not thread-safe.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this allocation's values, to derive a changed copy. Not thread-safe. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.port = port;
        b.protocol = protocol;
        b.host = host;
        b.project = project;
        b.service = service;
        b.range = range;
        b.environment = environment;
        b.status = status;
        b.description = description;
        b.allocatedAt = allocatedAt;
        b.allocatedBy = allocatedBy;
        b.expiresAt = expiresAt;
        b.owner = owner;
        b.processId = processId;
        b.healthEndpoint = healthEndpoint;
        b.healthStatus = healthStatus;
        b.lastHealthCheck = lastHealthCheck;
        b.metadata = new LinkedHashMap<>(metadata);
        return b;
    }

    /** The store's identifier of this allocation; a new allocation of the same port gets a new id. */
    public String id() {
        return id;
    }

    /** The port, 1-65535. */
    public int port() {
        return port;
    }

    /** The protocol the port is held for. */
    public Protocol protocol() {
        return protocol;
    }

    /** The host the port is on, lower-cased; loopback aliases read {@code localhost}. */
    public String host() {
        return host;
    }

    /** The project (the Atlas "worktree") the service belongs to. */
    public String project() {
        return project;
    }

    /** The service within the project, such as {@code api}. */
    public String service() {
        return service;
    }

    /** The range the port was taken from; empty for a port outside every range. */
    public Optional<String> range() {
        return Optional.ofNullable(range);
    }

    /** The environment, such as {@code dev} or {@code prod}; {@code default} unless one was given. */
    public String environment() {
        return environment;
    }

    /** Whether the port is in use or held for later. */
    public AllocationStatus status() {
        return status;
    }

    /** What the port is used for; empty when none was given. */
    public String description() {
        return description;
    }

    /** When the port was allocated. */
    public Instant allocatedAt() {
        return allocatedAt;
    }

    /** Who allocated it, {@code user@host} unless the manager was told otherwise. */
    public String allocatedBy() {
        return allocatedBy;
    }

    /** When the lease ends and the port becomes free again; empty for no time limit. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** The process whose end frees the port; empty when the allocation outlives every process. */
    public Optional<ProcessOwner> owner() {
        return Optional.ofNullable(owner);
    }

    /**
     * The process last seen using the port (the Atlas {@code process_id}); informational only, unlike
     * {@link #owner()} it never frees the port.
     */
    public OptionalLong processId() {
        return processId == null ? OptionalLong.empty() : OptionalLong.of(processId);
    }

    /** Where the service answers health checks, such as {@code http://localhost:3100/health}; empty when none. */
    public Optional<URI> healthEndpoint() {
        return Optional.ofNullable(healthEndpoint);
    }

    /** The result of the last health check; UNKNOWN before the first. */
    public HealthStatus healthStatus() {
        return healthStatus;
    }

    /** When the health was last checked; empty before the first check. */
    public Optional<Instant> lastHealthCheck() {
        return Optional.ofNullable(lastHealthCheck);
    }

    /** Free-form string pairs, such as a tunnel host name; unmodifiable, in insertion order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Whether an allocation of {@code otherPort} for {@code otherProtocol} on {@code otherHost} would collide with
     * this one: the same host and port with colliding protocols.
     *
     * @throws NullPointerException if {@code otherProtocol} is null
     */
    public boolean collidesWith(String otherHost, int otherPort, Protocol otherProtocol) {
        return port == otherPort && host.equals(otherHost) && protocol.collidesWith(otherProtocol);
    }

    /** Whether this allocation belongs to (host, project, service, environment). */
    public boolean belongsTo(String host, String project, String service, String environment) {
        return this.host.equals(host) && this.project.equals(project) && this.service.equals(service)
                && this.environment.equals(environment);
    }

    /** {@code consilio/api 3100/TCP on localhost}, as used in messages. */
    public String describe() {
        return project + "/" + service + (environment.equals(AllocationRequest.DEFAULT_ENVIRONMENT) ? "" : " (" + environment + ")")
                + " " + port + "/" + protocol + " on " + host;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Allocation)) {
            return false;
        }
        Allocation a = (Allocation) o;
        return port == a.port && id.equals(a.id) && protocol == a.protocol && host.equals(a.host)
                && project.equals(a.project) && service.equals(a.service) && Objects.equals(range, a.range)
                && environment.equals(a.environment) && status == a.status && description.equals(a.description)
                && allocatedAt.equals(a.allocatedAt) && allocatedBy.equals(a.allocatedBy)
                && Objects.equals(expiresAt, a.expiresAt) && Objects.equals(owner, a.owner)
                && Objects.equals(processId, a.processId) && Objects.equals(healthEndpoint, a.healthEndpoint)
                && healthStatus == a.healthStatus && Objects.equals(lastHealthCheck, a.lastHealthCheck)
                && metadata.equals(a.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, port, protocol, host, project, service, environment, allocatedAt);
    }

    @Override
    public String toString() {
        return "Allocation{" + describe() + ", id=" + id + ", range=" + range + ", status=" + status
                + ", allocatedAt=" + allocatedAt + ", allocatedBy=" + allocatedBy
                + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
                + (owner == null ? "" : ", owner=" + owner)
                + (processId == null ? "" : ", processId=" + processId)
                + (healthEndpoint == null ? "" : ", healthEndpoint=" + healthEndpoint)
                + ", health=" + healthStatus
                + (description.isEmpty() ? "" : ", description=" + description)
                + (metadata.isEmpty() ? "" : ", metadata=" + metadata) + "}";
    }

    /**
     * Builds an {@link Allocation}; {@link #build()} checks every value. Not thread-safe; reusable.
     */
    public static final class Builder {
        private String id;
        private int port;
        private Protocol protocol = Protocol.TCP;
        private String host = "localhost";
        private String project;
        private String service;
        private String range;
        private String environment = AllocationRequest.DEFAULT_ENVIRONMENT;
        private AllocationStatus status = AllocationStatus.ACTIVE;
        private String description = "";
        private Instant allocatedAt;
        private String allocatedBy;
        private Instant expiresAt;
        private ProcessOwner owner;
        private Long processId;
        private URI healthEndpoint;
        private HealthStatus healthStatus = HealthStatus.UNKNOWN;
        private Instant lastHealthCheck;
        private Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the store's id. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Sets the port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the protocol. */
        public Builder protocol(Protocol protocol) {
            this.protocol = protocol;
            return this;
        }

        /** Sets the host. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Sets the project. */
        public Builder project(String project) {
            this.project = project;
            return this;
        }

        /** Sets the service. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /** Sets the range name; null for none. */
        public Builder range(String range) {
            this.range = range;
            return this;
        }

        /** Sets the environment. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Sets the status. */
        public Builder status(AllocationStatus status) {
            this.status = status;
            return this;
        }

        /** Sets the description. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Sets when the port was allocated. */
        public Builder allocatedAt(Instant allocatedAt) {
            this.allocatedAt = allocatedAt;
            return this;
        }

        /** Sets who allocated the port. */
        public Builder allocatedBy(String allocatedBy) {
            this.allocatedBy = allocatedBy;
            return this;
        }

        /** Sets when the lease ends; null for never. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** Sets the owning process; null for none. */
        public Builder owner(ProcessOwner owner) {
            this.owner = owner;
            return this;
        }

        /** Sets the process last seen on the port; null for none. */
        public Builder processId(Long processId) {
            if (processId != null && processId <= 0) {
                throw new IllegalArgumentException("process id " + processId + " is not a process id; pids are positive");
            }
            this.processId = processId;
            return this;
        }

        /** Sets the health endpoint; null for none. */
        public Builder healthEndpoint(URI healthEndpoint) {
            this.healthEndpoint = AllocationRequest.checkEndpoint(healthEndpoint);
            return this;
        }

        /** Sets the health status. */
        public Builder healthStatus(HealthStatus healthStatus) {
            this.healthStatus = healthStatus;
            return this;
        }

        /** Sets when health was last checked; null for never. */
        public Builder lastHealthCheck(Instant lastHealthCheck) {
            this.lastHealthCheck = lastHealthCheck;
            return this;
        }

        /**
         * Replaces the metadata.
         *
         * @throws NullPointerException     if the map, a key or a value is null
         * @throws IllegalArgumentException if a key is not a valid name or a value is invalid text
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = AllocationRequest.checkMetadata(metadata);
            return this;
        }

        /**
         * Builds the allocation.
         *
         * @throws NullPointerException     if a required value (id, project, service, allocatedAt, allocatedBy) is
         *                                  missing
         * @throws IllegalArgumentException if a value is invalid; the message names it
         */
        public Allocation build() {
            return new Allocation(this);
        }
    }
}
