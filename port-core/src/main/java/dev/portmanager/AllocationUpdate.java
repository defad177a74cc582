package dev.portmanager;


import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Changes to an existing allocation's description, metadata, health or lease; the port and owner stay.
 * Immutable and thread-safe; build with {@link #builder()}.
 *
 * <pre>{@code
 * pm.update("consilio", "api", AllocationUpdate.builder()
 *         .description("Main API server")
 *         .putMetadata("cloudflare_hostname", "api.consilio.153.se")
 *         .build());
 * }</pre>
 */
public final class AllocationUpdate {
    private final String description;
    private final Map<String, String> putMetadata;
    private final List<String> removeMetadata;
    private final boolean replaceMetadata;
    private final boolean healthEndpointSet;
    private final URI healthEndpoint;
    private final HealthStatus healthStatus;
    private final Instant lastHealthCheck;
    private final boolean expiresAtSet;
    private final Instant expiresAt;
    private final boolean processIdSet;
    private final Long processId;

    private AllocationUpdate(Builder b) {
        this.description = b.description;
        this.putMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.putMetadata));
        this.removeMetadata = List.copyOf(b.removeMetadata);
        this.replaceMetadata = b.replaceMetadata;
        this.healthEndpointSet = b.healthEndpointSet;
        this.healthEndpoint = b.healthEndpoint;
        this.healthStatus = b.healthStatus;
        this.lastHealthCheck = b.lastHealthCheck;
        this.expiresAtSet = b.expiresAtSet;
        this.expiresAt = b.expiresAt;
        this.processIdSet = b.processIdSet;
        this.processId = b.processId;
    }

    /** A builder that changes nothing yet. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the update changes nothing. */
    public boolean isEmpty() {
        return description == null && putMetadata.isEmpty() && removeMetadata.isEmpty() && !replaceMetadata
                && !healthEndpointSet && healthStatus == null && lastHealthCheck == null && !expiresAtSet
                && !processIdSet;
    }

    /**
     * The allocation with these changes applied; id, port, owner and everything not named here stay.
     *
     * @throws NullPointerException if the allocation is null
     */
    public Allocation applyTo(Allocation allocation) {
        Allocation.Builder b = allocation.toBuilder();
        if (description != null) {
            b.description(description);
        }
        if (replaceMetadata || !putMetadata.isEmpty() || !removeMetadata.isEmpty()) {
            Map<String, String> metadata = replaceMetadata ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(allocation.metadata());
            removeMetadata.forEach(metadata::remove);
            metadata.putAll(putMetadata);
            b.metadata(metadata);
        }
        if (healthEndpointSet) {
            b.healthEndpoint(healthEndpoint);
        }
        if (healthStatus != null) {
            b.healthStatus(healthStatus);
        }
        if (lastHealthCheck != null) {
            b.lastHealthCheck(lastHealthCheck);
        }
        if (expiresAtSet) {
            b.expiresAt(expiresAt);
        }
        if (processIdSet) {
            b.processId(processId);
        }
        return b.build();
    }

    /** The names of the fields this update changes, such as {@code description, metadata}, for history entries. */
    public String describe() {
        List<String> fields = new ArrayList<>();
        if (description != null) {
            fields.add("description");
        }
        if (replaceMetadata || !putMetadata.isEmpty() || !removeMetadata.isEmpty()) {
            fields.add("metadata");
        }
        if (healthEndpointSet) {
            fields.add("health endpoint");
        }
        if (healthStatus != null) {
            fields.add("health status " + healthStatus);
        }
        if (expiresAtSet) {
            fields.add(expiresAt == null ? "lease (no expiry)" : "lease until " + expiresAt);
        }
        if (processIdSet) {
            fields.add("process id");
        }
        return fields.isEmpty() ? "nothing" : String.join(", ", fields);
    }

    @Override
    public String toString() {
        return "AllocationUpdate{" + describe() + "}";
    }

    /** Builds an {@link AllocationUpdate}; each value is checked as it is given. Not thread-safe; reusable. */
    public static final class Builder {
        private String description;
        private final Map<String, String> putMetadata = new LinkedHashMap<>();
        private final List<String> removeMetadata = new ArrayList<>();
        private boolean replaceMetadata;
        private boolean healthEndpointSet;
        private URI healthEndpoint;
        private HealthStatus healthStatus;
        private Instant lastHealthCheck;
        private boolean expiresAtSet;
        private Instant expiresAt;
        private boolean processIdSet;
        private Long processId;

        private Builder() {
        }

        /** Sets the description. @throws IllegalArgumentException if the text is invalid */
        public Builder description(String description) {
            this.description = Checks.text("description", description);
            return this;
        }

        /**
         * Replaces the whole metadata map.
         *
         * @throws IllegalArgumentException if a key or value is invalid
         */
        public Builder metadata(Map<String, String> metadata) {
            Map<String, String> checked = AllocationRequest.checkMetadata(metadata);
            replaceMetadata = true;
            putMetadata.clear();
            removeMetadata.clear();
            putMetadata.putAll(checked);
            return this;
        }

        /** Sets one metadata pair. @throws IllegalArgumentException if the key or value is invalid */
        public Builder putMetadata(String key, String value) {
            putMetadata.putAll(AllocationRequest.checkMetadata(Map.of(
                    Objects.requireNonNull(key, "metadata key == null"),
                    Objects.requireNonNull(value, "metadata value for '" + key + "' == null"))));
            removeMetadata.remove(key);
            return this;
        }

        /** Removes one metadata key. @throws IllegalArgumentException if the key is invalid */
        public Builder removeMetadata(String key) {
            String checked = Checks.name("metadata key", key);
            putMetadata.remove(checked);
            removeMetadata.add(checked);
            return this;
        }

        /** Sets the health endpoint; null removes it. @throws IllegalArgumentException if the URI is invalid */
        public Builder healthEndpoint(URI endpoint) {
            this.healthEndpoint = AllocationRequest.checkEndpoint(endpoint);
            this.healthEndpointSet = true;
            return this;
        }

        /** Records a health check result. @throws NullPointerException if an argument is null */
        public Builder health(HealthStatus status, Instant checkedAt) {
            this.healthStatus = Objects.requireNonNull(status, "status == null");
            this.lastHealthCheck = Objects.requireNonNull(checkedAt, "checkedAt == null");
            return this;
        }

        /** Sets when the lease ends; null removes the time limit. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            this.expiresAtSet = true;
            return this;
        }

        /**
         * Records the process seen on the port; null clears it.
         *
         * @throws IllegalArgumentException if the pid is not positive
         */
        public Builder processId(Long processId) {
            if (processId != null && processId <= 0) {
                throw new IllegalArgumentException("process id " + processId + " is not a process id; pids are positive");
            }
            this.processId = processId;
            this.processIdSet = true;
            return this;
        }

        /** Builds the update. */
        public AllocationUpdate build() {
            return new AllocationUpdate(this);
        }
    }
}
