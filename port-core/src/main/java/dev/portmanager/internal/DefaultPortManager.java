package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.AuditReport;
import dev.portmanager.CheckReport;
import dev.portmanager.Checks;
import dev.portmanager.EnvExport;
import dev.portmanager.HealthCheck;
import dev.portmanager.HealthResult;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortClaim;
import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.RangePolicy;
import dev.portmanager.RangeSummary;
import dev.portmanager.SearchOrder;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.PortStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The manager behind {@link PortManager#builder()}: the facade. Each method checks its arguments and hands the work
 * to the part whose job it is: {@link ClaimEngine} claims ports, {@link Ranges} resolves ranges, {@link RangeUsage}
 * counts and lists free ports, {@link Auditor} and {@link Monitor} compare the registry with the probe, {@link Events}
 * tells the listeners. Holds no allocation state of its own: every decision is the store's, made atomically.
 * Thread-safe.
 */
final class DefaultPortManager implements PortManager {
    /** The project claims are recorded under. */
    static final String CLAIM_PROJECT = "claims";
    private static final AtomicLong CLAIMS = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final String name;
    private final PortStore store;
    private final ManagerSettings settings;
    private final boolean ownsStore;
    private final RangePolicy policy;
    private final Clock clock;
    private final String host;
    private final String environment;
    private final String allocatedBy;
    private final SystemLeaseJudge judges;
    private final Events events;
    private final LiveAllocations live;
    /** Made at first use, under {@code partsLock}; see {@link Parts}. */
    private volatile Parts parts;
    private final Object partsLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Monitor> monitors = new CopyOnWriteArrayList<>();

    /**
     * This JVM's name, made at the first claim: looking up the pid initialises the JDK's process handles, which a
     * program that only calls getOrAllocate does not need (start-up, issue 20).
     */
    private static final class JvmName {
        static final String NAME = LocalMachine.jvmName();
    }

    DefaultPortManager(ManagerSettings settings) {
        this.settings = settings;
        this.name = settings.name();
        this.store = settings.store();
        this.ownsStore = settings.ownsStore();
        this.policy = settings.policy();
        // The registry's clock rules leases when it has one (a shared database's), so hosts agree on expiry.
        this.clock = Objects.requireNonNull(store.clock(settings.clock()), "the store's clock == null");
        this.host = settings.host();
        this.environment = settings.environment();
        this.allocatedBy = settings.allocatedBy();
        this.judges = new SystemLeaseJudge(clock);
        this.events = new Events(name, settings.listeners());
        this.live = new LiveAllocations(store, judges, clock, host, environment);
    }

    /**
     * The parts that claim, change, count and audit, made together at the first call that needs one, not with the
     * manager: a program that finds its port already held (every restart) never loads their classes (start-up,
     * issue 20). They hold no allocation state; {@link Ranges} caches the stored ranges.
     */
    private final class Parts {
        final LeaseChanges changes = new LeaseChanges(name, store, live, judges, events, clock, allocatedBy);
        final Ranges ranges = new Ranges(name, store, policy);
        final RangeUsage usage = new RangeUsage(policy, settings.probe(), host);
        final ClaimEngine engine = new ClaimEngine(name, store, policy, settings.probe(), ranges, judges, events,
                clock, allocatedBy);
        final Auditor auditor = new Auditor(DefaultPortManager.this, settings.probe(), settings.utilizationWarning(),
                settings.resourceLimits());
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            synchronized (partsLock) {
                p = parts;
                if (p == null) {
                    p = new Parts();
                    parts = p;
                }
            }
        }
        return p;
    }

    @Override
    public int getOrAllocate(String project, String service) {
        return getOrAllocate(AllocationRequest.of(project, service)).port();
    }

    @Override
    public Allocation getOrAllocate(AllocationRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        Optional<Allocation> existing = live.ofService(request.host().orElse(host), request.project(),
                request.service(), request.environment().orElse(environment));
        Allocation a = existing.isPresent() ? existing.get()
                : claimOne(request, AllocationPlan.Mode.GET_OR_ALLOCATE, AllocationStatus.ACTIVE, request.ttl());
        if (request.exact() && request.port().getAsInt() != a.port()) {
            LOG.warn("[{}] {} keeps port {}, not the {} asked for; reassign it to move it", name,
                    a.project() + "/" + a.service(), a.port(), request.port().getAsInt());
        }
        return a;
    }

    @Override
    public Allocation allocate(AllocationRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        return claimOne(request, AllocationPlan.Mode.ALLOCATE, AllocationStatus.ACTIVE, request.ttl());
    }

    @Override
    public Allocation reserve(AllocationRequest request, Duration ttl) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        checkTtl(ttl);
        if (request.ttl().isPresent()) {
            throw new IllegalArgumentException("reserve got a ttl of " + ttl + " and the request has its own ttl of "
                    + request.ttl().get() + "; give the ttl once");
        }
        return claimOne(request, AllocationPlan.Mode.ALLOCATE, AllocationStatus.RESERVED, Optional.of(ttl));
    }

    @Override
    public List<Allocation> allocateAll(List<AllocationRequest> requests) {
        ensureOpen();
        Objects.requireNonNull(requests, "requests == null");
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("allocateAll got no requests; pass at least one");
        }
        List<Claim> claims = new ArrayList<>();
        for (AllocationRequest r : requests) {
            Objects.requireNonNull(r, "a request == null");
            claims.add(newClaim(r, AllocationPlan.Mode.ALLOCATE, AllocationStatus.ACTIVE, r.ttl()));
        }
        return parts().engine.claim(claims);
    }

    @Override
    public Allocation renew(Allocation allocation, Duration ttl) {
        ensureOpen();
        Objects.requireNonNull(allocation, "allocation == null");
        checkTtl(ttl);
        return parts().changes.renew(allocation, ttl);
    }

    @Override
    public Allocation renew(String project, String service, Duration ttl) {
        ensureOpen();
        checkTtl(ttl);
        Allocation held = live.unendedOfService(host, Checks.name("project", project), Checks.name("service", service),
                environment).orElseThrow(() -> live.notFound("renew", project, service));
        return parts().changes.renew(held, ttl);
    }

    @Override
    public boolean release(Allocation allocation) {
        ensureOpen();
        Objects.requireNonNull(allocation, "allocation == null");
        return parts().changes.release(allocation, "released");
    }

    @Override
    public boolean release(String project, String service) {
        ensureOpen();
        return parts().changes.release(host, Checks.name("project", project), Checks.name("service", service),
                environment);
    }

    @Override
    public boolean release(int port) {
        ensureOpen();
        return parts().changes.release(host, Checks.port("port", port));
    }

    @Override
    public boolean release(int port, Protocol protocol) {
        return release(port, protocol, host);
    }

    @Override
    public boolean release(int port, Protocol protocol, String onHost) {
        ensureOpen();
        Checks.port("port", port);
        Objects.requireNonNull(protocol, "protocol == null");
        return parts().changes.release(Checks.host(onHost), port, protocol);
    }

    @Override
    public Allocation update(String project, String service, AllocationUpdate update) {
        ensureOpen();
        Objects.requireNonNull(update, "update == null");
        return parts().changes.update(project, service, update);
    }

    @Override
    public Allocation reassign(String project, String service) {
        ensureOpen();
        Allocation held = live.required("reassign", project, service);
        return move(held, Claim.requestLike(held).build());
    }

    @Override
    public Allocation reassign(Allocation allocation) {
        ensureOpen();
        Objects.requireNonNull(allocation, "allocation == null");
        Allocation held = live.at(allocation.host(), allocation.port()).stream()
                .filter(a -> a.id().equals(allocation.id())).findFirst()
                .orElseThrow(() -> new AllocationNotFoundException("cannot reassign " + allocation.describe()
                        + ": it was released or reclaimed; allocate a port again"));
        return move(held, Claim.requestLike(held).build());
    }

    @Override
    public Allocation reassign(String project, String service, int port) {
        ensureOpen();
        Checks.port("port", port);
        Allocation held = live.required("reassign", project, service);
        if (held.port() == port) {
            throw new IllegalArgumentException(held.describe() + " already holds port " + port + "; nothing to move");
        }
        return move(held, Claim.requestFor(held).port(port).build());
    }

    @Override
    public Optional<Allocation> find(int port) {
        ensureOpen();
        Checks.port("port", port);
        List<Allocation> held = live.at(host, port);
        for (Allocation a : held) {
            if (a.protocol().covers(Protocol.TCP)) {
                return Optional.of(a);
            }
        }
        return held.stream().findFirst();
    }

    @Override
    public Optional<Allocation> find(String project, String service) {
        ensureOpen();
        return live.ofService(host, Checks.name("project", project), Checks.name("service", service), environment);
    }

    @Override
    public List<Allocation> list(AllocationQuery query) {
        ensureOpen();
        return live.list(Objects.requireNonNull(query, "query == null"));
    }

    @Override
    public List<PortRange> ranges() {
        ensureOpen();
        return store.ranges();
    }

    @Override
    public PortRange defineRange(PortRange range) {
        ensureOpen();
        return parts().ranges.define(Objects.requireNonNull(range, "range == null"));
    }

    @Override
    public RangeSummary summary(String rangeName) {
        ensureOpen();
        PortRange range = parts().ranges.named(Checks.name("range name", rangeName));
        return parts().usage.summary(range, live.onHost());
    }

    @Override
    public List<HistoryEntry> history(HistoryQuery query) {
        ensureOpen();
        return store.history(Objects.requireNonNull(query, "query == null"));
    }

    @Override
    public PortClaim claim() {
        return claim(claimRequest().build());
    }

    @Override
    public PortClaim claim(String range) {
        return claim(claimRequest().range(Checks.name("range name", range)).build());
    }

    @Override
    public List<PortClaim> claim(int count) {
        ensureOpen();
        if (count < 1) {
            throw new IllegalArgumentException("claim count " + count + " is not positive; claim 1 or more ports");
        }
        List<AllocationRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(claimRequest().build());
        }
        List<PortClaim> claims = new ArrayList<>();
        for (Allocation a : allocateAll(requests)) {
            claims.add(DefaultPortClaim.of(a, () -> release(a)));
        }
        return claims;
    }

    @Override
    public PortClaim claim(AllocationRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        AllocationRequest owned = request.owner().isPresent() ? request
                : request.toBuilder().ownedByCurrentProcess().build();
        Allocation a = allocate(owned);
        return DefaultPortClaim.of(a, () -> release(a));
    }

    @Override
    public int reclaimLapsed() {
        ensureOpen();
        return parts().changes.reclaimLapsed();
    }

    @Override
    public List<Integer> available(String rangeName, int count) {
        ensureOpen();
        PortRange range = parts().ranges.named(Checks.name("range name", rangeName));
        return parts().usage.free(range, range.start(), count, live::onHost);
    }

    @Override
    public List<Integer> available(int from, int count) {
        ensureOpen();
        Checks.port("from", from);
        return parts().usage.free(null, from, count, live::onHost);
    }

    @Override
    public AuditReport audit() {
        ensureOpen();
        if (!LocalMachine.isLocalHost(host)) {
            return RemoteAuditor.audit(host, live.onHost(), clock.instant(), settings.remoteTimeout(host));
        }
        return parts().auditor.audit(live.onHost(), clock.instant());
    }

    @Override
    public AuditReport audit(String host) {
        ensureOpen();
        String h = Checks.host(host);
        if (h.equals(this.host)) {
            return audit();
        }
        List<Allocation> there = live.list(AllocationQuery.builder().host(h).build());
        if (there.isEmpty()) {
            throw new IllegalArgumentException("no live allocation names host '" + h + "' in " + store.name()
                    + ", and only hosts the registry names are contacted; hosts named: " + hostsNamed());
        }
        return RemoteAuditor.audit(h, there, clock.instant(), settings.remoteTimeout(h));
    }

    /** The hosts live allocations name, sorted, with the manager's own. */
    private String hostsNamed() {
        Set<String> hosts = new TreeSet<>();
        hosts.add(host);
        live.list(AllocationQuery.all()).forEach(a -> hosts.add(a.host()));
        return String.join(", ", hosts);
    }

    @Override
    public CheckReport check(List<PlannedBinding> plan) {
        ensureOpen();
        Objects.requireNonNull(plan, "plan == null");
        return parts().auditor.check(plan, live.onHost());
    }

    @Override
    public PortMonitor monitor() {
        return monitor(Duration.ofMinutes(5));
    }

    @Override
    public PortMonitor monitor(Duration interval) {
        ensureOpen();
        Objects.requireNonNull(interval, "interval == null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("monitoring interval " + interval + " is not positive; give one such as "
                    + "Duration.ofMinutes(5)");
        }
        Duration timeout = settings.remoteTimeout(host);
        Function<Allocation, HealthResult> check = LocalMachine.isLocalHost(host)
                ? a -> HealthCheck.of(a, Monitor.CHECK_TIMEOUT) : a -> RemoteAuditor.check(a, timeout);
        Monitor monitor = new Monitor(name, interval, this, live, parts().changes, events, check, monitors::remove);
        monitors.add(monitor);
        LOG.info("[{}] monitoring every {}", name, interval);
        return monitor;
    }

    @Override
    public EnvExport environment(String project) {
        ensureOpen();
        AllocationQuery.Builder q = AllocationQuery.builder().host(host).environment(environment);
        if (project != null) {
            q.project(project);
        }
        return EnvExport.of(live.list(q.build()));
    }

    @Override
    public void addListener(PortEventListener listener) {
        events.add(Objects.requireNonNull(listener, "listener == null"));
    }

    @Override
    public boolean removeListener(PortEventListener listener) {
        return events.remove(Objects.requireNonNull(listener, "listener == null"));
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String environment() {
        return environment;
    }

    @Override
    public RangePolicy policy() {
        return policy;
    }

    @Override
    public String storeName() {
        return store.name();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (Monitor m : monitors) {
                m.close();
            }
            if (ownsStore) {
                store.close();
            }
            LOG.info("[{}] closed", name);
        }
    }

    @Override
    public String toString() {
        return "PortManager{" + name + ", store=" + store.name() + ", host=" + host + ", environment=" + environment + "}";
    }

    // ---- helpers ----

    private Claim newClaim(AllocationRequest request, AllocationPlan.Mode mode, AllocationStatus status,
                           Optional<Duration> ttl) {
        Instant expiresAt = ttl.isPresent() ? clock.instant().plus(ttl.get()) : null;
        return Claim.of(request, request.host().orElse(host), request.environment().orElse(environment), mode, status,
                expiresAt);
    }

    private Allocation claimOne(AllocationRequest request, AllocationPlan.Mode mode, AllocationStatus status,
                                Optional<Duration> ttl) {
        return parts().engine.claim(List.of(newClaim(request, mode, status, ttl))).get(0);
    }

    private Allocation move(Allocation live, AllocationRequest request) {
        return parts().engine.claim(List.of(Claim.move(request, live))).get(0);
    }

    /** A claim's request: service named after this JVM and a counter, owned by this JVM, searched from a random point. */
    private AllocationRequest.Builder claimRequest() {
        ProcessOwner me = ProcessOwner.current();
        return AllocationRequest.builder(CLAIM_PROJECT, "jvm-" + me.pid() + "-" + CLAIMS.incrementAndGet())
                .owner(me).searchOrder(SearchOrder.SPREAD).description("claimed by " + JvmName.NAME);
    }


    private static void checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl == null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl " + ttl + " is not positive; give a lease such as Duration.ofMinutes(10)");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("port manager '" + name + "' is closed; build a new one");
        }
    }
}
