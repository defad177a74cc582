package dev.portmanager;

import dev.portmanager.internal.LocalMachine;
import dev.portmanager.internal.ManagerFactory;
import dev.portmanager.internal.ManagerSettings;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.spi.PortStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds a {@link PortManager}. Each argument is checked as it is given, a single-valued option set twice is refused,
 * and rules between options are checked in {@link #build()}. The builder stays usable after {@code build()}: each
 * call builds a new manager (opening a new store when the store was given as a URI).
 *
 * <pre>{@code
 * PortManager pm = PortManager.builder()
 *         .store("json:/srv/ports.json")
 *         .range("web", 8080, 8099, "HTTP servers")
 *         .environment("dev")
 *         .build();
 * }</pre>
 *
 * <p>Defaults: the store named by {@code PORTMANAGER_STORE}; else, inside a git repository, the
 * {@code design/worktrees/ports.json} at the root of its main worktree, which every linked worktree shares (see
 * {@link Worktree}); outside git, one found from the working directory upward; else {@code ~/.portmanager/ports.json}
 * (the JSON files need {@code port-store-json}); host
 * {@code localhost}; environment {@code default}; the bind-only probe; the system clock; lowest-first search; system
 * ports refused; the OS ephemeral range avoided; and, in a store with no ranges, the six Atlas ranges.
 *
 * <p>Not thread-safe.
 */
public final class PortManagerBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private String name;
    private PortStore store;
    private String storeUri;
    private final Map<String, PortRange> ranges = new LinkedHashMap<>();
    private final RangePolicy.Builder policy = RangePolicy.builder();
    private String defaultRange;
    private boolean projectBlocks;
    private String host;
    private String environment;
    private PortProbe probe;
    private Clock clock;
    private final List<PortEventListener> listeners = new ArrayList<>();
    private String allocatedBy;
    private Double utilizationWarning;
    private ResourceLimits resourceLimits;
    private final Map<String, Duration> remoteTimeouts = new LinkedHashMap<>();

    PortManagerBuilder() {
    }

    /**
     * Names the manager; its log lines start with {@code [name]}. Default {@code portmanager-N}.
     *
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException    if set twice
     */
    public PortManagerBuilder name(String name) {
        once("manager name", this.name);
        this.name = Checks.name("manager name", name);
        return this;
    }

    /**
     * Uses this store. The manager does not close it: whoever made it does.
     *
     * @throws NullPointerException  if the store is null
     * @throws IllegalStateException if a store was already given
     */
    public PortManagerBuilder store(PortStore store) {
        onceStore();
        this.store = Objects.requireNonNull(store, "store == null");
        return this;
    }

    /**
     * Uses the store a URI names, opened at {@link #build()} by the {@link dev.portmanager.spi.StoreProvider} that
     * supports it: {@code memory:}, {@code json:<path>}, {@code jdbc:h2:...}, {@code jdbc:postgresql://...}. The
     * manager closes it when it is closed.
     *
     * @throws IllegalArgumentException if the URI has no scheme
     * @throws IllegalStateException    if a store was already given
     */
    public PortManagerBuilder store(String uri) {
        Objects.requireNonNull(uri, "uri == null");
        onceStore();
        if (uri.isBlank() || uri.indexOf(':') < 1) {
            throw new IllegalArgumentException("store URI " + Checks.quote(uri) + " has no scheme; write memory:, "
                    + "json:<path>, jdbc:h2:<...> or jdbc:postgresql://<host>/<db>");
        }
        this.storeUri = uri.strip();
        return this;
    }

    /**
     * Declares a range: stored at {@link #build()} unless the store has it; a stored range of that name with other
     * ports fails the build with {@link RangeConflictException}.
     *
     * @throws IllegalArgumentException if the range is invalid
     * @throws IllegalStateException    if a range of that name was already declared
     */
    public PortManagerBuilder range(String name, int start, int end) {
        return range(PortRange.of(name, start, end));
    }

    /**
     * Declares a range with a description.
     *
     * @throws IllegalArgumentException if the range is invalid
     * @throws IllegalStateException    if a range of that name was already declared
     */
    public PortManagerBuilder range(String name, int start, int end, String description) {
        return range(PortRange.of(name, start, end, description));
    }

    /**
     * Declares a range.
     *
     * @throws NullPointerException  if the range is null
     * @throws IllegalStateException if a range of that name was already declared
     */
    public PortManagerBuilder range(PortRange range) {
        Objects.requireNonNull(range, "range == null");
        if (ranges.containsKey(range.name())) {
            throw new IllegalStateException("range '" + range.name() + "' was already declared as "
                    + ranges.get(range.name()));
        }
        ranges.put(range.name(), range);
        return this;
    }

    /**
     * The range for requests that name none and whose service names no range; without it they may take any port the
     * policy allows. Must be declared or stored.
     *
     * @throws IllegalStateException if set twice, or project blocks are on
     */
    public PortManagerBuilder defaultRange(String name) {
        policy.defaultRange(name);
        defaultRange = name;
        return this;
    }

    /**
     * Gives each new project the next free block of {@code size} ports between {@code start} and {@code end}, stored
     * as a range named after the project, as seed 001's one 100-port block per project:
     * {@code projectBlocks(3000, 3999, 100)}.
     *
     * @throws IllegalArgumentException if the span is not a whole number of blocks
     * @throws IllegalStateException    if set twice, or a default range is set
     */
    public PortManagerBuilder projectBlocks(int start, int end, int size) {
        policy.projectBlocks(start, end, size);
        projectBlocks = true;
        return this;
    }

    /**
     * Never hands out these ports, not even when asked for by number. Exclusions add up over calls.
     *
     * @throws IllegalArgumentException if a port is outside 1-65535
     */
    public PortManagerBuilder exclude(int... ports) {
        policy.exclude(ports);
        return this;
    }

    /**
     * Never hands out ports {@code first..last}. Exclusions add up over calls.
     *
     * @throws IllegalArgumentException if a port is outside 1-65535 or first is after last
     */
    public PortManagerBuilder excludeRange(int first, int last) {
        policy.excludeRange(first, last);
        return this;
    }

    /**
     * Allows ports below 1024 outside the ranges that include them.
     *
     * @throws IllegalStateException if set twice
     */
    public PortManagerBuilder allowSystemPorts() {
        policy.allowSystemPorts();
        return this;
    }

    /**
     * Whether automatic allocation avoids the OS ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range} on
     * Linux, 49152-65535 elsewhere); on by default.
     *
     * @throws IllegalStateException if set twice
     */
    public PortManagerBuilder avoidEphemeralRange(boolean avoid) {
        policy.avoidEphemeralRange(avoid);
        return this;
    }

    /**
     * Where the search for a free port starts; {@link SearchOrder#LOWEST_FIRST} by default.
     *
     * @throws IllegalStateException if set twice
     */
    public PortManagerBuilder searchOrder(SearchOrder order) {
        policy.order(order);
        return this;
    }

    /**
     * The host of requests that name none; {@code localhost} by default. On a registry shared by many hosts, give
     * each host its own name.
     *
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException    if set twice
     */
    public PortManagerBuilder host(String host) {
        once("host", this.host);
        this.host = Checks.host(host);
        return this;
    }

    /**
     * The environment of requests that name none; {@code default} by default.
     *
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException    if set twice
     */
    public PortManagerBuilder environment(String environment) {
        once("environment", this.environment);
        this.environment = Checks.name("environment", environment);
        return this;
    }

    /**
     * The probe that checks ports; the bind-only probe by default.
     *
     * @throws NullPointerException  if the probe is null
     * @throws IllegalStateException if set twice
     */
    public PortManagerBuilder probe(PortProbe probe) {
        once("probe", this.probe);
        this.probe = Objects.requireNonNull(probe, "probe == null");
        return this;
    }

    /**
     * The clock that dates allocations and judges leases; the system clock by default.
     *
     * @throws NullPointerException  if the clock is null
     * @throws IllegalStateException if set twice
     */
    public PortManagerBuilder clock(Clock clock) {
        once("clock", this.clock);
        this.clock = Objects.requireNonNull(clock, "clock == null");
        return this;
    }

    /**
     * Adds a listener for the events of every committed change. Listeners add up over calls.
     *
     * @throws NullPointerException if the listener is null
     */
    public PortManagerBuilder listener(PortEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener == null"));
        return this;
    }

    /**
     * Who the manager allocates as, recorded in allocations and history; {@code user@host} by default.
     *
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException    if set twice
     */
    public PortManagerBuilder allocatedBy(String allocatedBy) {
        once("allocatedBy", this.allocatedBy);
        this.allocatedBy = Checks.name("allocatedBy", allocatedBy);
        return this;
    }

    /**
     * The utilization, in percent, above which {@link PortManager#audit()} flags a range; 80 by default.
     *
     * @throws IllegalArgumentException if the percentage is not between 0 and 100
     * @throws IllegalStateException    if set twice
     */
    public PortManagerBuilder utilizationWarning(double percent) {
        once("utilizationWarning", this.utilizationWarning);
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("utilization warning " + percent + "% is not a percentage; give 0 to "
                    + "100, such as 80");
        }
        this.utilizationWarning = percent;
        return this;
    }

    /**
     * The use above which an audit flags a running service ({@link AuditReport#overLimits()}) and the monitor warns
     * (an {@link PortEvent.Type#OVER_LIMIT} event and a WARN log line, once per change). Default: none.
     *
     * @throws NullPointerException  if the limits are null
     * @throws IllegalStateException if set twice
     */
    public PortManagerBuilder resourceLimits(ResourceLimits limits) {
        once("resourceLimits", this.resourceLimits);
        this.resourceLimits = Objects.requireNonNull(limits, "limits == null");
        return this;
    }

    /**
     * How long another host may take to answer one connection when it is audited by connecting
     * ({@link PortManager#audit(String)}, and the audit and monitor of a manager whose host is another machine).
     * Default 2 seconds. A host that does not answer within it costs this once per audit: its other ports are not
     * tried.
     *
     * @throws NullPointerException     if the timeout is null
     * @throws IllegalArgumentException if it is not positive
     * @throws IllegalStateException    if set twice
     */
    public PortManagerBuilder remoteTimeout(Duration timeout) {
        return remoteTimeout("*", timeout);
    }

    /**
     * How long this one host may take to answer one connection of its audit, instead of the default
     * ({@link #remoteTimeout(Duration)}): a far or slow host its own.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the host is invalid or the timeout not positive
     * @throws IllegalStateException    if set twice for the host
     */
    public PortManagerBuilder remoteTimeout(String host, Duration timeout) {
        String h = Objects.requireNonNull(host, "host == null").equals("*") ? host : Checks.host(host);
        Objects.requireNonNull(timeout, "timeout == null");
        once("remoteTimeout" + (h.equals("*") ? "" : " of " + h), remoteTimeouts.get(h));
        if (timeout.isNegative() || timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("remote timeout " + timeout + " is not between a millisecond and "
                    + Integer.MAX_VALUE + " ms; give one such as Duration.ofSeconds(2)");
        }
        remoteTimeouts.put(h, timeout);
        return this;
    }

    private Map<String, Duration> remoteTimeouts() {
        Map<String, Duration> all = new LinkedHashMap<>(remoteTimeouts);
        all.putIfAbsent("*", Duration.ofSeconds(2));
        return all;
    }

    /**
     * Builds the manager: opens the store (when given as a URI or left to the default), stores the declared ranges
     * (or, in a store with no ranges and none declared, the six Atlas ranges) and checks the rules between options.
     *
     * @throws IllegalArgumentException if a declared range lies wholly in the avoided OS ephemeral range, the default
     *                                  range does not exist, or no provider opens the store URI
     * @throws RangeConflictException   if a declared range contradicts a stored one
     * @throws PortManagerException     if the store cannot be opened
     */
    public PortManager build() {
        RangePolicy builtPolicy = policy.build();
        for (PortRange r : ranges.values()) {
            builtPolicy.checkRange(r);
        }
        String managerName = name != null ? name : "portmanager-" + COUNT.incrementAndGet();
        PortStore builtStore = store;
        boolean owns = false;
        if (builtStore == null) {
            String uri = storeUri != null ? storeUri : ManagerFactory.defaultStoreUri();
            if (storeUri == null && uri.startsWith("json:") && !ManagerFactory.opensStore(uri)) {
                throw new IllegalStateException("no store given, and the default store " + uri + " needs "
                        + "dev.portmanager:port-store-json on the classpath; add it, or call store(...), for example "
                        + "store(\"memory:\") for a registry that lives only in this JVM");
            }
            builtStore = ManagerFactory.openStore(uri);
            owns = true;
        }
        try {
            List<PortRange> stored = builtStore.ranges();
            // One change for all of them (one write of a JSON registry, not one per range), and none for a declared
            // range stored already with the same ports: a restart then takes no exclusive lock (ranges are never
            // removed through a store; a conflict still goes to the store, which refuses it).
            List<PortRange> define = new ArrayList<>();
            for (PortRange r : ranges.values()) {
                if (!storedAlike(stored, r)) {
                    define.add(r);
                }
            }
            if (stored.isEmpty() && ranges.isEmpty() && !projectBlocks) {
                for (PortRange r : PortRange.standardRanges()) {
                    if (builtPolicy.admits(r)) {
                        define.add(r);
                    }
                }
            }
            if (!define.isEmpty()) {
                builtStore.defineRanges(define);
            }
            // What is stored now: what was, and what was just defined (ranges are never removed through a store).
            if (defaultRange != null && !named(stored, defaultRange) && !named(define, defaultRange)) {
                throw new IllegalArgumentException("default range '" + defaultRange + "' is neither declared nor stored "
                        + "in " + builtStore.name() + "; declare it with range(\"" + defaultRange + "\", start, end)");
            }
        } catch (RuntimeException e) {
            if (owns) {
                builtStore.close();
            }
            throw e;
        }
        ManagerSettings settings = new ManagerSettings(managerName, builtStore, owns, builtPolicy,
                probe != null ? probe : PortProbe.bindOnly(), clock != null ? clock : Clock.systemUTC(), listeners,
                host != null ? host : "localhost", environment != null ? environment : AllocationRequest.DEFAULT_ENVIRONMENT,
                allocatedBy != null ? allocatedBy : LocalMachine.userAtMachine(),
                utilizationWarning != null ? utilizationWarning : 80.0,
                resourceLimits != null ? resourceLimits : ResourceLimits.none(), remoteTimeouts());
        PortManager manager = ManagerFactory.newManager(settings);
        if (LOG.isInfoEnabled()) {
            // Guarded: counting the ranges reads the store again, which a program logging at WARN need not wait for.
            LOG.info("[{}] ready on store {} (host {}, environment {}, {} ranges)", managerName, builtStore.name(),
                    settings.host(), settings.environment(), builtStore.ranges().size());
        }
        return manager;
    }

    /** Whether {@code stored} holds a range of r's name with r's ports (loops, not streams: start-up, issue 20). */
    private static boolean storedAlike(List<PortRange> stored, PortRange r) {
        for (PortRange s : stored) {
            if (s.name().equals(r.name()) && s.start() == r.start() && s.end() == r.end()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ranges} holds one named {@code name}. */
    private static boolean named(List<PortRange> ranges, String name) {
        for (PortRange r : ranges) {
            if (r.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private void onceStore() {
        if (store != null || storeUri != null) {
            throw new IllegalStateException("a store was already given (" + (store != null ? store.name() : storeUri)
                    + "); give one store");
        }
    }

    private static void once(String what, Object current) {
        if (current != null) {
            throw new IllegalStateException(what + " was already set to '" + current + "'");
        }
    }
}
