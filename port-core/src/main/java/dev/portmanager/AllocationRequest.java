package dev.portmanager;


import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a caller asks of {@link PortManager}: a port for a service of a project, and optionally the range, protocol,
 * host, environment, a wanted port, a lease and descriptive data.
 *
 * <p>Values left unset take the manager's defaults: the manager's host and environment, and a range chosen by its
 * {@link RangePolicy}. Immutable and thread-safe; build with {@link #builder(String, String)}.
 */
public final class AllocationRequest {
    /** The environment of allocations that name none. */
    public static final String DEFAULT_ENVIRONMENT = "default";

    private final String project;
    private final String service;
    private final String range;
    private final String environment;
    private final String host;
    private final Protocol protocol;
    private final int port;
    private final boolean exact;
    private final List<Integer> alternatives;
    private final boolean alternativesOnly;
    private final String description;
    private final Map<String, String> metadata;
    private final URI healthEndpoint;
    private final ProcessOwner owner;
    private final Duration ttl;
    private final SearchOrder searchOrder;
    private final boolean alreadyListening;
    private final Allocation copyOf;

    private AllocationRequest(Builder b) {
        this.project = b.project;
        this.service = b.service;
        this.range = b.range;
        this.environment = b.environment;
        this.host = b.host;
        this.protocol = b.protocol == null ? Protocol.TCP : b.protocol;
        this.port = b.port;
        this.exact = b.exact;
        this.alternatives = List.copyOf(b.alternatives);
        this.alternativesOnly = b.alternativesOnly;
        this.description = b.description == null ? "" : b.description;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.healthEndpoint = b.healthEndpoint;
        this.owner = b.owner;
        this.ttl = b.ttl;
        this.searchOrder = b.searchOrder;
        this.alreadyListening = b.alreadyListening;
        this.copyOf = b.copyOf;
    }

    /**
     * A request with every other value left to the manager.
     *
     * @throws NullPointerException     if project or service is null
     * @throws IllegalArgumentException if project or service is not a valid name (blank, over 255 characters,
     *                                  control characters, surrounding white space)
     */
    public static AllocationRequest of(String project, String service) {
        return builder(project, service).build();
    }

    /**
     * A builder for a request of {@code service} in {@code project}. Not thread-safe.
     *
     * @throws NullPointerException     if project or service is null
     * @throws IllegalArgumentException if project or service is not a valid name
     */
    public static Builder builder(String project, String service) {
        return new Builder(Checks.name("project", project), Checks.name("service", service));
    }

    /**
     * A builder holding this request's values; values already set are refused a second time, as always. Not
     * thread-safe.
     */
    public Builder toBuilder() {
        Builder b = new Builder(project, service);
        b.range = range;
        b.environment = environment;
        b.host = host;
        b.protocol = protocol;
        b.port = port;
        b.exact = exact;
        b.alternatives.addAll(alternatives);
        b.alternativesOnly = alternativesOnly;
        b.description = description.isEmpty() ? null : description;
        b.metadata.putAll(metadata);
        b.healthEndpoint = healthEndpoint;
        b.owner = owner;
        b.ttl = ttl;
        b.searchOrder = searchOrder;
        b.alreadyListening = alreadyListening;
        b.copyOf = copyOf;
        return b;
    }

    /** The project. */
    public String project() {
        return project;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The range asked for; empty to let the policy choose. */
    public Optional<String> range() {
        return Optional.ofNullable(range);
    }

    /** The environment asked for; empty for the manager's. */
    public Optional<String> environment() {
        return Optional.ofNullable(environment);
    }

    /** The host asked for, normalised; empty for the manager's. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** The protocol; TCP unless set. */
    public Protocol protocol() {
        return protocol;
    }

    /** The port asked for, exact or preferred; empty for none. */
    public OptionalInt port() {
        return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** Whether {@link #port()} must be granted exactly (true) or is only tried first (false). */
    public boolean exact() {
        return exact;
    }

    /**
     * The alternative ports, in the order they are tried: after the preferred port, before the rest of the range;
     * empty for none. Unmodifiable.
     */
    public List<Integer> alternatives() {
        return alternatives;
    }

    /**
     * Whether only the preferred port and the {@link #alternatives()} may be granted (true), or the rest of the range
     * after them (false).
     */
    public boolean alternativesOnly() {
        return alternativesOnly;
    }

    /** The description; empty when none. */
    public String description() {
        return description;
    }

    /** The metadata; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The health endpoint; empty when none. */
    public Optional<URI> healthEndpoint() {
        return Optional.ofNullable(healthEndpoint);
    }

    /** The lease owner; empty when the allocation outlives every process. */
    public Optional<ProcessOwner> owner() {
        return Optional.ofNullable(owner);
    }

    /** The lease length; empty for no time limit. */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    /** The search order; empty for the manager's. */
    public Optional<SearchOrder> searchOrder() {
        return Optional.ofNullable(searchOrder);
    }

    /**
     * Whether the service already listens on the requested port, so the port is registered without checking that it
     * is free (adopting a running service).
     */
    public boolean alreadyListening() {
        return alreadyListening;
    }

    /**
     * The allocation this request recreates as it is (see {@link Builder#copyOf}); empty for a new allocation.
     */
    public Optional<Allocation> copyOf() {
        return Optional.ofNullable(copyOf);
    }

    /** {@code consilio/api} with the values that were set. */
    @Override
    public String toString() {
        return "AllocationRequest{" + project + "/" + service
                + (range == null ? "" : ", range=" + range)
                + (environment == null ? "" : ", environment=" + environment)
                + (host == null ? "" : ", host=" + host)
                + ", protocol=" + protocol
                + (port == 0 ? "" : (exact ? ", port=" : ", preferredPort=") + port)
                + (alternatives.isEmpty() ? "" : (alternativesOnly ? ", only alternatives=" : ", alternatives=")
                + alternatives)
                + (ttl == null ? "" : ", ttl=" + ttl)
                + (owner == null ? "" : ", owner=" + owner)
                + (searchOrder == null ? "" : ", searchOrder=" + searchOrder)
                + (alreadyListening ? ", alreadyListening" : "")
                + (copyOf == null ? "" : ", copyOf=" + copyOf.id()) + "}";
    }

    static URI checkEndpoint(URI endpoint) {
        if (endpoint == null) {
            return null;
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!endpoint.isAbsolute() || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("tcp"))
                || endpoint.getHost() == null) {
            throw new IllegalArgumentException("health endpoint '" + endpoint + "' is not an absolute http, https or "
                    + "tcp URI with a host; write it like http://localhost:3100/health or tcp://localhost:5432");
        }
        return endpoint;
    }

    static Map<String, String> checkMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata == null");
        Map<String, String> copy = new LinkedHashMap<>();
        // A loop, not forEach with a lambda: every request checks its metadata (start-up, issue 20).
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Checks.name("metadata key", Objects.requireNonNull(key, "metadata key == null"));
            Checks.text("metadata value for '" + key + "'",
                    Objects.requireNonNull(value, "metadata value for '" + key + "' == null"));
            copy.put(key, value);
        }
        return copy;
    }

    /**
     * Builds an {@link AllocationRequest}. Each value is checked as it is given, and a value given twice is refused.
     * Not thread-safe; reusable.
     */
    public static final class Builder {
        private final String project;
        private final String service;
        private String range;
        private String environment;
        private String host;
        private Protocol protocol;
        private int port;
        private boolean exact;
        private final List<Integer> alternatives = new ArrayList<>();
        private boolean alternativesOnly;
        private String description;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private URI healthEndpoint;
        private ProcessOwner owner;
        private Duration ttl;
        private SearchOrder searchOrder;
        private boolean alreadyListening;
        private Allocation copyOf;

        private Builder(String project, String service) {
            this.project = project;
            this.service = service;
        }

        /**
         * Takes the port from the named range.
         *
         * @throws IllegalArgumentException if the name is invalid
         * @throws IllegalStateException    if the range was already set
         */
        public Builder range(String range) {
            once("range", this.range);
            this.range = Checks.name("range name", range);
            return this;
        }

        /**
         * Sets the environment, such as {@code dev} or {@code prod}.
         *
         * @throws IllegalArgumentException if the name is invalid
         * @throws IllegalStateException    if the environment was already set
         */
        public Builder environment(String environment) {
            once("environment", this.environment);
            this.environment = Checks.name("environment", environment);
            return this;
        }

        /**
         * Sets the host the port is on; loopback aliases ({@code 127.0.0.1}, {@code ::1}) mean {@code localhost}.
         *
         * @throws IllegalArgumentException if the name is invalid
         * @throws IllegalStateException    if the host was already set
         */
        public Builder host(String host) {
            once("host", this.host);
            this.host = Checks.host(host);
            return this;
        }

        /**
         * Sets the protocol; TCP by default.
         *
         * @throws NullPointerException  if the protocol is null
         * @throws IllegalStateException if the protocol was already set
         */
        public Builder protocol(Protocol protocol) {
            once("protocol", this.protocol);
            this.protocol = Objects.requireNonNull(protocol, "protocol == null");
            return this;
        }

        /**
         * Asks for exactly this port: the request fails if it is taken, busy or excluded.
         *
         * @throws IllegalArgumentException if the port is outside 1-65535
         * @throws IllegalStateException    if a port was already set
         */
        public Builder port(int port) {
            return wantPort(port, true);
        }

        /**
         * Tries this port first and falls back to the rest of the range when it is taken, busy or excluded.
         *
         * @throws IllegalArgumentException if the port is outside 1-65535
         * @throws IllegalStateException    if a port was already set
         */
        public Builder preferredPort(int port) {
            return wantPort(port, false);
        }

        /**
         * Names alternative ports, tried in this order after the {@link #preferredPort preferred port} (if any) and
         * before the rest of the range, such as seed 003's {@code alternatives(8001, 8002, 8003)}. They must lie in the
         * request's range (the one it names, else the smallest range holding the preferred port or the first
         * alternative); one that is excluded or held is skipped.
         *
         * @throws IllegalArgumentException if none is given, a port is outside 1-65535, or a port is given twice
         * @throws IllegalStateException    if alternatives were already set
         * @throws NullPointerException     if the array is null
         */
        public Builder alternatives(int... ports) {
            Objects.requireNonNull(ports, "ports == null");
            if (!alternatives.isEmpty()) {
                throw new IllegalStateException("alternatives were already set to " + alternatives);
            }
            if (ports.length == 0) {
                throw new IllegalArgumentException("no alternative port given; name at least one, such as 8001");
            }
            List<Integer> checked = new ArrayList<>(ports.length);
            for (int p : ports) {
                Checks.port("alternative port", p);
                if (checked.contains(p)) {
                    throw new IllegalArgumentException("alternative port " + p + " is given twice; name each once");
                }
                checked.add(p);
            }
            alternatives.addAll(checked);
            return this;
        }

        /**
         * Grants only the preferred port or one of the {@link #alternatives alternatives}, never another port of the
         * range: when all are taken, busy or excluded the request fails with {@link NoFreePortException}.
         *
         * @throws IllegalStateException if set twice
         */
        public Builder alternativesOnly() {
            if (alternativesOnly) {
                throw new IllegalStateException("alternativesOnly was already set");
            }
            alternativesOnly = true;
            return this;
        }

        /**
         * Sets the description.
         *
         * @throws IllegalArgumentException if the text is over 4096 characters or has control characters
         * @throws IllegalStateException    if the description was already set
         */
        public Builder description(String description) {
            once("description", this.description);
            this.description = Checks.text("description", description);
            return this;
        }

        /**
         * Adds metadata pairs.
         *
         * @throws IllegalArgumentException if a key is not a valid name or a value is invalid text
         * @throws IllegalStateException    if a key was already set
         */
        public Builder metadata(Map<String, String> metadata) {
            checkMetadata(metadata).forEach(this::metadata);
            return this;
        }

        /**
         * Adds one metadata pair, such as {@code ("cloudflare_hostname", "api.consilio.153.se")}.
         *
         * @throws IllegalArgumentException if the key is not a valid name or the value is invalid text
         * @throws IllegalStateException    if the key was already set
         */
        public Builder metadata(String key, String value) {
            Map<String, String> pair = checkMetadata(Map.of(Objects.requireNonNull(key, "metadata key == null"),
                    Objects.requireNonNull(value, "metadata value for '" + key + "' == null")));
            if (metadata.containsKey(key)) {
                throw new IllegalStateException("metadata '" + key + "' was already set to '" + metadata.get(key) + "'");
            }
            metadata.putAll(pair);
            return this;
        }

        /**
         * Sets the health endpoint, such as {@code http://localhost:3100/health}.
         *
         * @throws IllegalArgumentException if it is not an absolute http, https or tcp URI with a host
         * @throws IllegalStateException    if the endpoint was already set
         */
        public Builder healthEndpoint(URI endpoint) {
            once("health endpoint", this.healthEndpoint);
            this.healthEndpoint = checkEndpoint(Objects.requireNonNull(endpoint, "endpoint == null"));
            return this;
        }

        /**
         * Sets the health endpoint from text.
         *
         * @throws IllegalArgumentException if the text is not an absolute http, https or tcp URI with a host
         * @throws IllegalStateException    if the endpoint was already set
         */
        public Builder healthEndpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint == null");
            try {
                return healthEndpoint(URI.create(endpoint));
            } catch (IllegalArgumentException e) {
                if (e.getCause() instanceof java.net.URISyntaxException) {
                    throw new IllegalArgumentException("health endpoint " + Checks.quote(endpoint)
                            + " is not a URI: " + e.getCause().getMessage(), e);
                }
                throw e;
            }
        }

        /**
         * Ties the allocation to a process: once it is gone, the port is free again.
         *
         * @throws NullPointerException  if the owner is null
         * @throws IllegalStateException if the owner was already set
         */
        public Builder owner(ProcessOwner owner) {
            once("owner", this.owner);
            this.owner = Objects.requireNonNull(owner, "owner == null");
            return this;
        }

        /**
         * Ties the allocation to this JVM: once it exits, even by {@code kill -9}, the port is free again.
         *
         * @throws IllegalStateException if the owner was already set
         */
        public Builder ownedByCurrentProcess() {
            return owner(ProcessOwner.current());
        }

        /**
         * Gives the allocation a lease: it expires {@code ttl} after it is granted unless renewed.
         *
         * @throws IllegalArgumentException if the duration is zero or negative
         * @throws IllegalStateException    if the ttl was already set
         */
        public Builder ttl(Duration ttl) {
            once("ttl", this.ttl);
            this.ttl = checkTtl(ttl);
            return this;
        }

        /**
         * Overrides the manager's search order for this request.
         *
         * @throws NullPointerException  if the order is null
         * @throws IllegalStateException if the order was already set
         */
        public Builder searchOrder(SearchOrder order) {
            once("search order", this.searchOrder);
            this.searchOrder = Objects.requireNonNull(order, "order == null");
            return this;
        }

        /**
         * Registers a service that already listens on its port: the port, asked for with {@link #port(int)}, is not
         * checked for being free (the service itself holds it). The registry's own rules still apply: a port
         * allocated to another service is refused.
         *
         * @throws IllegalStateException if set twice
         */
        public Builder alreadyListening() {
            if (alreadyListening) {
                throw new IllegalStateException("alreadyListening was already set");
            }
            alreadyListening = true;
            return this;
        }

        /**
         * Recreates {@code original} as it is, for copying one registry into another ({@link Migration}): the
         * allocation recorded keeps the original's id, allocation time, allocator, lease expiry (to the millisecond),
         * process id, health status and last health check, rather than getting new ones. Everything else comes from
         * this request, which must ask for the original's port exactly.
         *
         * @throws IllegalArgumentException if the original belongs to another project or service
         * @throws IllegalStateException    if set twice
         * @throws NullPointerException     if the original is null
         */
        public Builder copyOf(Allocation original) {
            Objects.requireNonNull(original, "original == null");
            if (copyOf != null) {
                throw new IllegalStateException("copyOf was already set to " + copyOf.describe());
            }
            if (!original.project().equals(project) || !original.service().equals(service)) {
                throw new IllegalArgumentException("a request for " + project + "/" + service + " cannot recreate "
                        + original.describe() + "; build the request for " + original.project() + "/"
                        + original.service());
            }
            copyOf = original;
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalStateException if {@link #alreadyListening()} is set without an exact {@link #port(int)},
         *                               {@link #copyOf} without an exact request for the original's port,
         *                               {@link #alternatives} with an exact port or naming the preferred port, or
         *                               {@link #alternativesOnly()} without alternatives
         */
        public AllocationRequest build() {
            if (!alternatives.isEmpty() && exact) {
                throw new IllegalStateException("port " + port + " is asked for exactly, so alternatives "
                        + alternatives + " would never be tried; ask with preferredPort(" + port + ") instead");
            }
            if (port != 0 && alternatives.contains(port)) {
                throw new IllegalStateException("alternative port " + port + " is the preferred port; leave it out of "
                        + "the alternatives");
            }
            if (alternativesOnly && alternatives.isEmpty()) {
                throw new IllegalStateException("alternativesOnly limits the request to its alternatives, but none "
                        + "were given; name them with alternatives(...)");
            }
            if (alreadyListening && (port == 0 || !exact)) {
                throw new IllegalStateException("alreadyListening registers a port a service holds; name it with "
                        + "port(...)");
            }
            if (copyOf != null && (port != copyOf.port() || !exact)) {
                throw new IllegalStateException("copyOf recreates " + copyOf.describe() + " on its own port; ask for "
                        + "it with port(" + copyOf.port() + ")");
            }
            return new AllocationRequest(this);
        }

        private Builder wantPort(int port, boolean exact) {
            if (this.port != 0) {
                throw new IllegalStateException("port was already set to " + this.port
                        + (this.exact ? " (exact)" : " (preferred)"));
            }
            this.port = Checks.port(exact ? "port" : "preferred port", port);
            this.exact = exact;
            return this;
        }

        private static void once(String what, Object current) {
            if (current != null) {
                throw new IllegalStateException(what + " was already set to '" + current + "'");
            }
        }
    }

    static Duration checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl == null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl " + ttl + " is not positive; give a lease such as Duration.ofMinutes(10)");
        }
        return ttl;
    }
}
