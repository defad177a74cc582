package dev.portmanager.spi;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.Candidates;
import dev.portmanager.Checks;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortConflictException;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request, resolved by the manager for a store's {@link dev.portmanager.spi.Allocator}: the allocation to record
 * (everything but its id, port and time), the candidate ports, and what to do when the service already holds a port.
 * Immutable and thread-safe.
 */
public final class AllocationPlan {
    /** What to do about the service's existing live allocation. */
    public enum Mode {
        /** Return it as it is; allocate only when there is none. */
        GET_OR_ALLOCATE,
        /** Fail with {@link AllocationExistsException}. */
        ALLOCATE,
        /** End the allocation named by {@link #replaces()} and allocate anew (a move to another port). */
        REPLACE
    }

    private final Mode mode;
    private final AllocationRequest request;
    private final String host;
    private final String environment;
    private final AllocationStatus status;
    private final String allocatedBy;
    private final Instant expiresAt;
    private final Candidates candidates;
    private final String replaces;
    private final HistoryAction replaceAction;
    private final String reason;
    private final int busy;
    private final String busyOwners;

    private AllocationPlan(Builder b) {
        this.mode = Objects.requireNonNull(b.mode, "mode == null");
        this.request = Objects.requireNonNull(b.request, "request == null");
        this.host = Checks.host(Objects.requireNonNull(b.host, "host == null"));
        this.environment = Checks.name("environment", Objects.requireNonNull(b.environment, "environment == null"));
        this.status = Objects.requireNonNull(b.status, "status == null");
        this.allocatedBy = Checks.name("allocatedBy", Objects.requireNonNull(b.allocatedBy, "allocatedBy == null"));
        this.expiresAt = b.expiresAt;
        this.candidates = Objects.requireNonNull(b.candidates, "candidates == null");
        this.replaces = b.replaces;
        this.replaceAction = b.replaceAction;
        this.reason = b.reason == null ? "" : b.reason;
        this.busy = b.busy;
        this.busyOwners = b.busyOwners == null ? "" : b.busyOwners;
        if ((mode == Mode.REPLACE) != (replaces != null)) {
            throw new IllegalArgumentException("a REPLACE plan names the allocation it replaces, and only it does");
        }
    }

    /**
     * A builder for a plan of the request; host, environment and allocatedBy must be set. Not thread-safe.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Mode mode, AllocationRequest request, Candidates candidates) {
        return new Builder(mode, request, candidates);
    }

    /** What to do about an existing allocation of the service. */
    public Mode mode() {
        return mode;
    }

    /** The request as the caller made it. */
    public AllocationRequest request() {
        return request;
    }

    /** The host the port is on. */
    public String host() {
        return host;
    }

    /** The project. */
    public String project() {
        return request.project();
    }

    /** The service. */
    public String service() {
        return request.service();
    }

    /** The environment. */
    public String environment() {
        return environment;
    }

    /** The protocol. */
    public Protocol protocol() {
        return request.protocol();
    }

    /** The status to record. */
    public AllocationStatus status() {
        return status;
    }

    /** Who allocates. */
    public String allocatedBy() {
        return allocatedBy;
    }

    /** When the lease ends; empty for never. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** The lease owner; empty for none. */
    public Optional<ProcessOwner> owner() {
        return request.owner();
    }

    /** The ports that may be taken, in order. */
    public Candidates candidates() {
        return candidates;
    }

    /** For {@link Mode#REPLACE}, the id of the allocation to end; else null. */
    public String replaces() {
        return replaces;
    }

    /** For {@link Mode#REPLACE}, the action to record for the ended allocation (REASSIGNED unless told). */
    public HistoryAction replaceAction() {
        return replaceAction == null ? HistoryAction.REASSIGNED : replaceAction;
    }

    /** Why the allocation is made, for its history entry; empty when there is nothing to add. */
    public String reason() {
        return reason;
    }

    /**
     * Whether {@code a} belongs to this plan's (host, project, service, environment).
     *
     * @throws NullPointerException if the allocation is null
     */
    public boolean isSameService(Allocation a) {
        return a.belongsTo(host, request.project(), request.service(), environment);
    }

    /**
     * For a plan that recreates an allocation ({@link AllocationRequest#copyOf()}), the id to record: the original's.
     * A store records it unless it has used that id already (one that keeps ended allocations may have), and then
     * gives a new one, as for a new allocation; empty for a new allocation.
     */
    public Optional<String> keptId() {
        Optional<Allocation> original = request.copyOf();
        return original.isPresent() ? Optional.of(original.get().id()) : Optional.empty();
    }

    /**
     * The allocation to record when the store takes {@code port}, with the id the store chose (see {@link #keptId()}).
     * For a request that recreates an allocation ({@link AllocationRequest#copyOf()}), the original's time, allocator,
     * expiry, process id and health are kept instead of {@code at} and the plan's own.
     *
     * @throws IllegalArgumentException if the id is invalid
     */
    public Allocation toAllocation(String id, int port, Instant at) {
        Allocation original = request.copyOf().orElse(null);
        Allocation.Builder b = Allocation.builder()
                .id(id).port(port).protocol(request.protocol()).host(host)
                .project(request.project()).service(request.service())
                .range(candidates.range().orElse(null)).environment(environment)
                .status(status).description(request.description())
                .allocatedAt(original != null ? original.allocatedAt() : at)
                .allocatedBy(original != null ? original.allocatedBy() : allocatedBy)
                .expiresAt(original != null ? original.expiresAt().orElse(null) : expiresAt)
                .owner(request.owner().orElse(null))
                .healthEndpoint(request.healthEndpoint().orElse(null))
                .metadata(request.metadata());
        if (original != null) {
            original.processId().ifPresent(b::processId);
            b.healthStatus(original.healthStatus()).lastHealthCheck(original.lastHealthCheck().orElse(null));
        }
        return b.build();
    }

    /** The history entry for a new allocation made from this plan: ALLOCATED, or RESERVED for a reservation. */
    public HistoryEntry historyFor(Allocation created) {
        HistoryAction action = status == AllocationStatus.RESERVED ? HistoryAction.RESERVED : HistoryAction.ALLOCATED;
        return HistoryEntry.of(created.allocatedAt(), action, created, allocatedBy, reason);
    }

    /**
     * The exception for candidates that hold no free port.
     *
     * @param allocated the live allocations among the candidates, as the store counted them
     */
    public NoFreePortException noFreePort(int allocated) {
        if (candidates.alternativesOnly()) {
            List<Integer> listed = new ArrayList<>();
            request.port().ifPresent(listed::add);
            listed.addAll(candidates.alternatives());
            return new NoFreePortException("no free " + request.protocol() + " port for " + request.project() + "/"
                    + request.service() + " on " + host + " among its ports " + listed + " (alternatives only): each "
                    + "is allocated, busy" + (busyOwners.isEmpty() ? "" : " (" + busyOwners + ")") + " or excluded; "
                    + "free one of them, or let the request fall back to the rest of the range");
        }
        int excluded = Math.max(0, candidates.excludedCount() - busy);
        return new NoFreePortException(candidates.range().orElse(null), candidates.first(), candidates.last(), host,
                request.protocol(), allocated, busy, excluded, busyOwners);
    }

    /** The exception for an exact port held by a live allocation. */
    public PortConflictException portTaken(Allocation holder) {
        return new PortConflictException(holder.port(), holder, "port " + holder.port() + "/" + request.protocol()
                + " on " + host + " asked for by " + request.project() + "/" + request.service()
                + " is allocated to " + holder.project() + "/" + holder.service() + " (" + holder.protocol()
                + ", since " + holder.allocatedAt() + "); ask for another port or release it first");
    }

    /** The exception for an {@link Mode#ALLOCATE} plan whose service already holds a port. */
    public AllocationExistsException exists(Allocation existing) {
        return new AllocationExistsException(existing);
    }

    /** The exception for a {@link Mode#REPLACE} plan whose allocation is gone. */
    public AllocationNotFoundException replacedGone() {
        return new AllocationNotFoundException(request.project() + "/" + request.service() + " on " + host
                + " (environment " + environment + ") no longer holds the allocation " + replaces
                + ": it was released or reclaimed meanwhile; ask for a port again");
    }

    @Override
    public String toString() {
        return "AllocationPlan{" + mode + " " + request.project() + "/" + request.service() + " " + request.protocol()
                + " on " + host + " (" + environment + "), " + status + ", " + candidates + "}";
    }

    /** Builds an {@link AllocationPlan}. Not thread-safe. */
    public static final class Builder {
        private final Mode mode;
        private final AllocationRequest request;
        private final Candidates candidates;
        private String host;
        private String environment;
        private AllocationStatus status = AllocationStatus.ACTIVE;
        private String allocatedBy;
        private Instant expiresAt;
        private String replaces;
        private HistoryAction replaceAction;
        private String reason;
        private int busy;
        private String busyOwners;

        private Builder(Mode mode, AllocationRequest request, Candidates candidates) {
            this.mode = Objects.requireNonNull(mode, "mode == null");
            this.request = Objects.requireNonNull(request, "request == null");
            this.candidates = Objects.requireNonNull(candidates, "candidates == null");
        }

        /** The host. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The environment. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** The status; ACTIVE by default. */
        public Builder status(AllocationStatus status) {
            this.status = status;
            return this;
        }

        /** Who allocates. */
        public Builder allocatedBy(String allocatedBy) {
            this.allocatedBy = allocatedBy;
            return this;
        }

        /** When the lease ends; null for never. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** For REPLACE: the allocation to end and the action to record for it. */
        public Builder replaces(String id, HistoryAction action) {
            this.replaces = Objects.requireNonNull(id, "id == null");
            this.replaceAction = Objects.requireNonNull(action, "action == null");
            return this;
        }

        /** Why, for the history entry. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** How many candidates are excluded because a process holds them, and which processes, for messages. */
        public Builder busy(int busy, String busyOwners) {
            this.busy = busy;
            this.busyOwners = busyOwners;
            return this;
        }

        /**
         * Builds the plan.
         *
         * @throws NullPointerException     if host, environment or allocatedBy is missing
         * @throws IllegalArgumentException if a value is invalid, or the mode and {@code replaces} disagree
         */
        public AllocationPlan build() {
            return new AllocationPlan(this);
        }
    }
}
