package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.AuditReport;
import dev.portmanager.Candidates;
import dev.portmanager.CheckReport;
import dev.portmanager.Checks;
import dev.portmanager.EnvExport;
import dev.portmanager.HealthResult;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.ListeningSocket;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortClaim;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortEvent;
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
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The manager behind {@link PortManager#builder()}. Holds no allocation state of its own: every decision is the
 * store's, made atomically; the manager resolves requests into plans, verifies claimed ports with the probe and
 * publishes events. Thread-safe.
 */
public final class DefaultPortManager implements PortManager {
    /** How many claim rounds a request gets when claimed ports keep turning out busy. */
    static final int MAX_ATTEMPTS = 32;
    /** The project claims are recorded under. */
    static final String CLAIM_PROJECT = "claims";
    private static final java.util.concurrent.atomic.AtomicLong CLAIMS = new java.util.concurrent.atomic.AtomicLong();
    private static final String JVM_NAME = jvmName();
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final String name;
    private final PortStore store;
    private final boolean ownsStore;
    private final RangePolicy policy;
    private final PortProbe probe;
    private final Clock clock;
    private final List<PortEventListener> listeners;
    private final String host;
    private final String environment;
    private final String allocatedBy;
    private final SystemLeaseJudge judges;
    private final Auditor auditor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Monitor> monitors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<String, PortRange> rangeCache;

    /** @param settings the checked settings */
    public DefaultPortManager(ManagerSettings settings) {
        this.name = settings.name();
        this.store = settings.store();
        this.ownsStore = settings.ownsStore();
        this.policy = settings.policy();
        this.probe = settings.probe();
        this.clock = settings.clock();
        this.listeners = new java.util.concurrent.CopyOnWriteArrayList<>(settings.listeners());
        this.host = settings.host();
        this.environment = settings.environment();
        this.allocatedBy = settings.allocatedBy();
        this.judges = new SystemLeaseJudge(clock);
        this.auditor = new Auditor(this, probe, settings.utilizationWarning());
    }

    /** A claim round's input: one request and what to do with it. */
    private static final class Claim {
        final AllocationRequest request;
        final AllocationPlan.Mode mode;
        final AllocationStatus status;
        final Instant expiresAt;
        final String reason;
        Allocation replaces;
        HistoryAction replaceAction = HistoryAction.REASSIGNED;
        final BitSet foundBusy = new BitSet();
        final BitSet leaving = new BitSet();
        final Set<String> busyOwners = new LinkedHashSet<>();

        Claim(AllocationRequest request, AllocationPlan.Mode mode, AllocationStatus status, Instant expiresAt,
              Allocation replaces, String reason) {
            this.request = request;
            this.mode = mode;
            this.status = status;
            this.expiresAt = expiresAt;
            this.replaces = replaces;
            this.reason = reason;
        }
    }

    @Override
    public int getOrAllocate(String project, String service) {
        return getOrAllocate(AllocationRequest.of(project, service)).port();
    }

    @Override
    public Allocation getOrAllocate(AllocationRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        Optional<Allocation> existing = findLive(hostOf(request), request.project(), request.service(),
                environmentOf(request));
        if (existing.isPresent()) {
            warnIfNotAsked(request, existing.get());
            return existing.get();
        }
        Allocation a = claim(List.of(newClaim(request, AllocationPlan.Mode.GET_OR_ALLOCATE, AllocationStatus.ACTIVE,
                request.ttl().orElse(null)))).get(0);
        warnIfNotAsked(request, a);
        return a;
    }

    @Override
    public Allocation allocate(AllocationRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        return claim(List.of(newClaim(request, AllocationPlan.Mode.ALLOCATE, AllocationStatus.ACTIVE,
                request.ttl().orElse(null)))).get(0);
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
        return claim(List.of(newClaim(request, AllocationPlan.Mode.ALLOCATE, AllocationStatus.RESERVED, ttl))).get(0);
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
            claims.add(newClaim(Objects.requireNonNull(r, "a request == null"), AllocationPlan.Mode.ALLOCATE,
                    AllocationStatus.ACTIVE, r.ttl().orElse(null)));
        }
        return claim(claims);
    }

    @Override
    public Allocation renew(Allocation allocation, Duration ttl) {
        ensureOpen();
        Objects.requireNonNull(allocation, "allocation == null");
        checkTtl(ttl);
        Instant now = clock.instant();
        StoreChange change = store.update(allocation.id(),
                AllocationUpdate.builder().expiresAt(now.plus(ttl)).build(), allocatedBy, now);
        if (change.allocations().isEmpty()) {
            throw new AllocationNotFoundException("cannot renew " + allocation.describe() + ": it was released, or its "
                    + "lease lapsed and the port was reclaimed; reserve a port again");
        }
        publish(change);
        return change.allocations().get(0);
    }

    @Override
    public Allocation renew(String project, String service, Duration ttl) {
        ensureOpen();
        checkTtl(ttl);
        Allocation held = unended(host, Checks.name("project", project), Checks.name("service", service), environment)
                .orElseThrow(() -> notFound("renew", project, service));
        return renew(held, ttl);
    }

    @Override
    public boolean release(Allocation allocation) {
        ensureOpen();
        Objects.requireNonNull(allocation, "allocation == null");
        return releaseOne(allocation, "released");
    }

    @Override
    public boolean release(String project, String service) {
        ensureOpen();
        Optional<Allocation> live = findLive(host, Checks.name("project", project), Checks.name("service", service),
                environment);
        if (live.isEmpty()) {
            LOG.info("[{}] nothing released: {}/{} holds no port on {} (environment {})", name, project, service, host,
                    environment);
            return false;
        }
        return releaseOne(live.get(), "released");
    }

    @Override
    public boolean release(int port) {
        ensureOpen();
        Checks.port("port", port);
        List<Allocation> live = liveAt(host, port);
        if (live.isEmpty()) {
            LOG.info("[{}] nothing released: port {} on {} is not allocated", name, port, host);
            return false;
        }
        boolean any = false;
        for (Allocation a : live) {
            any |= releaseOne(a, "released by port");
        }
        return any;
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
        String h = Checks.host(onHost);
        List<Allocation> live = liveAt(h, port);
        for (Allocation a : live) {
            if (a.protocol().covers(protocol)) {
                return releaseOne(a, "released by port");
            }
        }
        LOG.info("[{}] nothing released: port {}/{} on {} is not allocated{}", name, port, protocol, h,
                live.isEmpty() ? "" : " (held for " + live.get(0).protocol() + " by " + live.get(0).project() + "/"
                        + live.get(0).service() + ")");
        return false;
    }

    @Override
    public Allocation update(String project, String service, AllocationUpdate update) {
        ensureOpen();
        Objects.requireNonNull(update, "update == null");
        Allocation live = findLive(host, Checks.name("project", project), Checks.name("service", service), environment)
                .orElseThrow(() -> notFound("update", project, service));
        Instant now = clock.instant();
        StoreChange change = store.update(live.id(), update, allocatedBy, now);
        if (change.allocations().isEmpty()) {
            throw notFound("update", project, service);
        }
        publish(change);
        return change.allocations().get(0);
    }

    @Override
    public Allocation reassign(String project, String service) {
        ensureOpen();
        Allocation live = findLive(host, Checks.name("project", project), Checks.name("service", service), environment)
                .orElseThrow(() -> notFound("reassign", project, service));
        return reassign(live, requestLike(live).build());
    }

    @Override
    public Allocation reassign(Allocation allocation) {
        ensureOpen();
        Objects.requireNonNull(allocation, "allocation == null");
        Allocation live = list(AllocationQuery.builder().host(allocation.host()).port(allocation.port()).build())
                .stream().filter(a -> a.id().equals(allocation.id())).findFirst()
                .orElseThrow(() -> new AllocationNotFoundException("cannot reassign " + allocation.describe()
                        + ": it was released or reclaimed; allocate a port again"));
        return reassign(live, requestLike(live).build());
    }

    @Override
    public Allocation reassign(String project, String service, int port) {
        ensureOpen();
        Checks.port("port", port);
        Allocation live = findLive(host, Checks.name("project", project), Checks.name("service", service), environment)
                .orElseThrow(() -> notFound("reassign", project, service));
        if (live.port() == port) {
            throw new IllegalArgumentException(live.describe() + " already holds port " + port + "; nothing to move");
        }
        AllocationRequest.Builder b = AllocationRequest.builder(project, service).port(port)
                .environment(live.environment()).host(live.host()).protocol(live.protocol())
                .description(live.description()).metadata(live.metadata());
        live.healthEndpoint().ifPresent(b::healthEndpoint);
        live.owner().ifPresent(b::owner);
        return reassign(live, b.build());
    }

    private Allocation reassign(Allocation live, AllocationRequest request) {
        Claim claim = new Claim(request, AllocationPlan.Mode.REPLACE, live.status(), live.expiresAt().orElse(null),
                live, "reassigned from port " + live.port());
        if (!request.exact()) {
            claim.leaving.set(live.port());
        }
        return claim(List.of(claim)).get(0);
    }

    @Override
    public Optional<Allocation> find(int port) {
        ensureOpen();
        Checks.port("port", port);
        List<Allocation> live = liveAt(host, port);
        for (Allocation a : live) {
            if (a.protocol().covers(Protocol.TCP)) {
                return Optional.of(a);
            }
        }
        return live.stream().findFirst();
    }

    @Override
    public Optional<Allocation> find(String project, String service) {
        ensureOpen();
        return findLive(host, Checks.name("project", project), Checks.name("service", service), environment);
    }

    @Override
    public List<Allocation> list(AllocationQuery query) {
        ensureOpen();
        Objects.requireNonNull(query, "query == null");
        Instant now = clock.instant();
        LeaseJudge judge = judges.forOperation();
        List<Allocation> out = new ArrayList<>();
        for (Allocation a : store.list(query)) {
            if (judge.isLive(a, now)) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public List<PortRange> ranges() {
        ensureOpen();
        return store.ranges();
    }

    @Override
    public PortRange defineRange(PortRange range) {
        ensureOpen();
        Objects.requireNonNull(range, "range == null");
        policy.checkRange(range);
        PortRange stored = store.defineRange(range);
        rangeCache = null;
        LOG.info("[{}] range {} defined in {}", name, stored, store.name());
        return stored;
    }

    @Override
    public RangeSummary summary(String rangeName) {
        ensureOpen();
        Checks.name("range name", rangeName);
        PortRange range = freshRanges().get(rangeName);
        if (range == null) {
            throw new IllegalArgumentException(noSuchRange(rangeName, freshRanges()));
        }
        Instant now = clock.instant();
        LeaseJudge judge = judges.forOperation();
        BitSet allocated = new BitSet();
        for (Allocation a : store.list(AllocationQuery.builder().host(host).build())) {
            if (range.contains(a.port()) && judge.isLive(a, now)) {
                allocated.set(a.port());
            }
        }
        BitSet excluded = policy.excludedIn(range);
        excluded.andNot(allocated);
        int total = range.size();
        int used = allocated.cardinality();
        int off = excluded.cardinality();
        double percent = Math.round(used * 1000.0 / total) / 10.0;
        return new RangeSummary(range.name(), range.start(), range.end(), total, used, off, total - used - off, percent);
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
            claims.add(new DefaultPortClaim(this, a));
        }
        return claims;
    }

    @Override
    public PortClaim claim(AllocationRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request == null");
        AllocationRequest owned = request.owner().isPresent() ? request
                : request.toBuilder().ownedByCurrentProcess().build();
        return new DefaultPortClaim(this, allocate(owned));
    }

    /** A claim's request: service named after this JVM and a counter, owned by this JVM, searched from a random point. */
    private AllocationRequest.Builder claimRequest() {
        ProcessOwner me = ProcessOwner.current();
        return AllocationRequest.builder(CLAIM_PROJECT, "jvm-" + me.pid() + "-" + CLAIMS.incrementAndGet())
                .owner(me).searchOrder(SearchOrder.SPREAD).description("claimed by " + JVM_NAME);
    }

    /** {@code org.example.Main (pid 4242)}, cheaply: no process-info lookup at start-up. */
    private static String jvmName() {
        String command = System.getProperty("sun.java.command", "").strip();
        int space = command.indexOf(' ');
        String main = space > 0 ? command.substring(0, space) : command;
        long pid = ProcessHandle.current().pid();
        return main.isEmpty() ? "pid " + pid : main + " (pid " + pid + ")";
    }

    @Override
    public int reclaimLapsed() {
        ensureOpen();
        Instant now = clock.instant();
        LeaseJudge judge = judges.forOperation();
        int reclaimed = 0;
        for (Allocation a : store.list(AllocationQuery.all())) {
            if (!judge.isLive(a, now)) {
                StoreChange change = store.release(a.id(), HistoryAction.EXPIRED, judge.lapseReason(a, now),
                        allocatedBy, now);
                if (!change.isEmpty()) {
                    reclaimed++;
                    publish(change);
                }
            }
        }
        if (reclaimed > 0) {
            LOG.info("[{}] reclaimed {} lapsed allocations", name, reclaimed);
        }
        return reclaimed;
    }

    @Override
    public List<Integer> available(String rangeName, int count) {
        ensureOpen();
        Checks.name("range name", rangeName);
        PortRange range = freshRanges().get(rangeName);
        if (range == null) {
            throw new IllegalArgumentException(noSuchRange(rangeName, freshRanges()));
        }
        return available(range, true, count);
    }

    @Override
    public List<Integer> available(int from, int count) {
        ensureOpen();
        Checks.port("from", from);
        return available(new PortRange("from " + from, from, 65535, "", true), false, count);
    }

    /** Free ports of the span; system ports only from a declared range or with allowSystemPorts(). */
    private List<Integer> available(PortRange range, boolean declared, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is not positive; ask for 1 or more ports");
        }
        BitSet taken = policy.excludedIn(range);
        for (Allocation a : list(AllocationQuery.builder().host(host).build())) {
            if (range.contains(a.port()) && a.protocol().covers(Protocol.TCP)) {
                taken.set(a.port());
            }
        }
        boolean local = LocalMachine.isLocalHost(host);
        List<Integer> free = new ArrayList<>();
        for (int p = taken.nextClearBit(range.start()); p <= range.end() && free.size() < count;
             p = taken.nextClearBit(p + 1)) {
            if ((p >= 1024 || declared || policy.allowsSystemPorts()) && (!local || probe.isFree(p, Protocol.TCP))) {
                free.add(p);
            }
        }
        return free;
    }

    @Override
    public AuditReport audit() {
        ensureOpen();
        if (!LocalMachine.isLocalHost(host)) {
            throw new IllegalStateException("cannot audit host '" + host + "' from " + LocalMachine.name() + ": the "
                    + "probe sees only this machine; run the audit there, or build a manager with host(\"localhost\")");
        }
        return auditor.audit(list(AllocationQuery.builder().host(host).build()), clock.instant());
    }

    @Override
    public CheckReport check(List<PlannedBinding> plan) {
        ensureOpen();
        Objects.requireNonNull(plan, "plan == null");
        return auditor.check(plan, list(AllocationQuery.builder().host(host).build()));
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
        if (!LocalMachine.isLocalHost(host)) {
            throw new IllegalStateException("cannot monitor host '" + host + "' from " + LocalMachine.name() + ": the "
                    + "probe sees only this machine; run the monitor there");
        }
        Monitor monitor = new Monitor(this, name, interval, this::emit);
        monitors.add(monitor);
        LOG.info("[{}] monitoring every {}", name, interval);
        return monitor;
    }

    /** A closed monitor leaves the manager's list, so a long-lived manager does not keep every one it started. */
    void forget(Monitor monitor) {
        monitors.remove(monitor);
    }

    /** The live allocations of the manager's host: for the monitor. */
    List<Allocation> liveOnHost() {
        return list(AllocationQuery.builder().host(host).build());
    }

    /** The live allocation with this id on the manager's host, if any: for the monitor. */
    Optional<Allocation> liveById(String id) {
        return liveOnHost().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** Keeps a health check: every result for stores that keep them all, a changed status on the allocation. */
    void recordHealth(Allocation a, HealthResult result, Instant at) {
        store.recordHealthCheck(a.id(), result, at);
        if (result.status() != a.healthStatus()) {
            publish(store.update(a.id(), AllocationUpdate.builder().health(result.status(), at).build(), allocatedBy,
                    at));
        }
    }

    @Override
    public EnvExport environment(String project) {
        ensureOpen();
        AllocationQuery.Builder q = AllocationQuery.builder().host(host).environment(environment);
        if (project != null) {
            q.project(project);
        }
        return EnvExport.of(list(q.build()));
    }

    @Override
    public void addListener(PortEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener == null"));
    }

    @Override
    public boolean removeListener(PortEventListener listener) {
        return listeners.remove(Objects.requireNonNull(listener, "listener == null"));
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
            monitors.forEach(Monitor::close);
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

    // ---- the claim: plan, claim atomically, verify, undo and retry ----

    private Claim newClaim(AllocationRequest request, AllocationPlan.Mode mode, AllocationStatus status, Duration ttl) {
        Instant expiresAt = ttl == null ? null : clock.instant().plus(ttl);
        return new Claim(request, mode, status, expiresAt, null, "");
    }

    private List<Allocation> claim(List<Claim> claims) {
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            return claimRounds(claims);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            timed(operation(claims), Duration.ofNanos(System.nanoTime() - start), failure);
        }
    }

    /** The operation a claim serves, as {@link PortEventListener#onAllocationTimed} names it. */
    private static String operation(List<Claim> claims) {
        if (claims.size() > 1) {
            return "allocate_all";
        }
        Claim c = claims.get(0);
        switch (c.mode) {
            case GET_OR_ALLOCATE:
                return "get_or_allocate";
            case REPLACE:
                return "reassign";
            default:
                return c.status == AllocationStatus.RESERVED ? "reserve" : "allocate";
        }
    }

    private void timed(String operation, Duration elapsed, Throwable failure) {
        for (PortEventListener listener : listeners) {
            try {
                listener.onAllocationTimed(operation, elapsed, failure);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("[{}] event listener {} failed on the timing of {}; the change stands", name, listener,
                        operation, e);
            }
        }
    }

    private List<Allocation> claimRounds(List<Claim> claims) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            List<AllocationPlan> plans = new ArrayList<>();
            for (Claim c : claims) {
                plans.add(plan(c));
            }
            StoreChange change = store.allocator().allocate(plans, judges.forOperation());
            publish(change);
            List<Integer> conflicts = new ArrayList<>();
            for (int i = 0; i < claims.size(); i++) {
                Allocation a = change.allocations().get(i);
                if (change.wasCreated(a) && !claims.get(i).request.alreadyListening() && LocalMachine.isLocalHost(a.host())
                        && !probe.isFree(a.port(), a.protocol())) {
                    conflicts.add(i);
                }
            }
            if (conflicts.isEmpty()) {
                for (Allocation a : change.created()) {
                    LOG.debug("[{}] {} {}", name, a.status() == AllocationStatus.RESERVED ? "reserved" : "allocated",
                            a.describe());
                }
                return change.allocations();
            }
            undo(claims, change, conflicts);
        }
        Claim worst = claims.get(0);
        for (Claim c : claims) {
            if (c.foundBusy.cardinality() > worst.foundBusy.cardinality()) {
                worst = c;
            }
        }
        throw new NoFreePortException("gave up on " + worst.request.project() + "/" + worst.request.service()
                + " after " + MAX_ATTEMPTS + " claims: " + worst.foundBusy.cardinality() + " claimed ports were found "
                + "in use by processes the registry does not know" + owners(worst)
                + "; stop them, exclude their ports, or use a probe that sees the socket table (port-probe)");
    }

    /**
     * Gives back what a round created after some claimed ports turned out busy: a busy port is recorded as
     * CONFLICT_DETECTED and remembered for the next round, the rest of a bulk round is released with it (all or
     * nothing), a moved service moves on. A busy exact port ends the claim with {@link PortConflictException}.
     */
    private void undo(List<Claim> claims, StoreChange change, List<Integer> conflicts) {
        Instant now = clock.instant();
        PortConflictException exactConflict = null;
        String why = "";
        for (int i : conflicts) {
            Claim c = claims.get(i);
            Allocation a = change.allocations().get(i);
            String holder = holderOf(a.port(), a.protocol());
            c.foundBusy.set(a.port());
            if (!holder.isEmpty()) {
                c.busyOwners.add(holder);
            }
            String reason = "port found in use by " + (holder.isEmpty() ? "a process the registry does not know" : holder);
            why = why.isEmpty() ? "port " + a.port() + " was found in use" : why;
            LOG.info("[{}] {}: {}", name, a.describe(), reason);
            if (c.mode == AllocationPlan.Mode.REPLACE) {
                undoMove(c, a, reason);
                continue;
            }
            publish(store.release(a.id(), HistoryAction.CONFLICT_DETECTED, reason, allocatedBy, now));
            if (c.request.exact() && exactConflict == null) {
                exactConflict = new PortConflictException(a.port(), null, "port " + a.port() + "/" + a.protocol()
                        + " on " + a.host() + " asked for by " + a.project() + "/" + a.service() + " is " + reason
                        + "; stop it or ask for another port");
            }
        }
        for (int i = 0; i < claims.size(); i++) {
            Allocation a = change.allocations().get(i);
            if (!conflicts.contains(i) && change.wasCreated(a)) {
                publish(store.release(a.id(), HistoryAction.RELEASED, "undone with the rest of a bulk allocation: "
                        + why, allocatedBy, now));
            }
        }
        if (exactConflict != null) {
            throw exactConflict;
        }
    }

    /** A moved service landed on a busy port: move it on (or, for an exact port, back) with CONFLICT_DETECTED. */
    private void undoMove(Claim c, Allocation landed, String reason) {
        Allocation original = c.replaces;
        c.replaces = landed;
        c.replaceAction = HistoryAction.CONFLICT_DETECTED;
        if (!c.request.exact()) {
            return;
        }
        AllocationRequest back = requestLike(original).port(original.port()).build();
        Claim backClaim = new Claim(back, AllocationPlan.Mode.REPLACE, original.status(),
                original.expiresAt().orElse(null), landed, "moved back: " + reason);
        backClaim.replaceAction = HistoryAction.CONFLICT_DETECTED;
        try {
            publish(store.allocator().allocate(List.of(plan(backClaim)), judges.forOperation()));
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not move {} back to port {} after its new port was {}: {}", name,
                    landed.describe(), original.port(), reason, e.getMessage());
        }
        throw new PortConflictException(landed.port(), null, "port " + landed.port() + "/" + landed.protocol() + " on "
                + landed.host() + " asked for by " + landed.project() + "/" + landed.service() + " is " + reason
                + "; the service stays on port " + original.port() + "; stop that process or ask for another port");
    }

    private AllocationPlan plan(Claim c) {
        AllocationRequest request = c.request;
        String planHost = hostOf(request);
        PortRange range = resolveRange(request);
        Candidates candidates = policy.candidates(request, range);
        int busy = 0;
        Set<String> owners = new LinkedHashSet<>(c.busyOwners);
        if (LocalMachine.isLocalHost(planHost) && !request.alreadyListening()) {
            BitSet seen = new BitSet();
            for (ListeningSocket s : probe.listening(candidates.first(), candidates.last(), request.protocol())) {
                if (candidates.exact()) {
                    throw new PortConflictException(s.port(), null, "port " + s.port() + "/" + request.protocol()
                            + " on " + planHost + " asked for by " + request.project() + "/" + request.service()
                            + " is in use by " + s.process().map(Object::toString).orElse("a process the registry "
                            + "does not know") + "; stop it or ask for another port");
                }
                if (candidates.allows(s.port())) {
                    seen.set(s.port());
                    s.process().ifPresent(p -> owners.add("pid " + p.pid()));
                }
            }
            busy = seen.cardinality();
            candidates = candidates.exclude(seen);
        }
        if (!c.foundBusy.isEmpty()) {
            BitSet found = (BitSet) c.foundBusy.clone();
            found.andNot(candidates.excludedSet());
            busy += found.cardinality();
        }
        candidates = candidates.exclude(c.foundBusy).exclude(c.leaving);
        AllocationPlan.Builder b = AllocationPlan.builder(c.mode, request, candidates)
                .host(planHost).environment(environmentOf(request)).status(c.status).allocatedBy(allocatedBy)
                .expiresAt(c.expiresAt).reason(c.reason).busy(busy, String.join(", ", owners));
        if (c.replaces != null) {
            b.replaces(c.replaces.id(), c.replaceAction);
        }
        return b.build();
    }

    private PortRange resolveRange(AllocationRequest request) {
        Map<String, PortRange> ranges = cachedRanges();
        Optional<String> rangeName = policy.rangeNameFor(request, ranges);
        if (rangeName.isEmpty()) {
            return null;
        }
        PortRange range = ranges.get(rangeName.get());
        if (range == null) {
            ranges = freshRanges();
            range = ranges.get(rangeName.get());
        }
        if (range == null && policy.projectBlocks().isPresent() && request.range().isEmpty()
                && rangeName.get().equals(request.project())) {
            RangePolicy.ProjectBlocks blocks = policy.projectBlocks().get();
            range = store.defineBlock(request.project(), blocks.start(), blocks.end(), blocks.size(),
                    "block of project " + request.project());
            rangeCache = null;
            LOG.info("[{}] project {} got the block {}", name, request.project(), range);
        }
        if (range == null) {
            throw new IllegalArgumentException(noSuchRange(rangeName.get(), ranges));
        }
        return range;
    }

    private String noSuchRange(String rangeName, Map<String, PortRange> ranges) {
        List<String> known = new ArrayList<>();
        for (PortRange r : ranges.values()) {
            known.add(r.name() + " " + r.start() + "-" + r.end());
        }
        return "no range named '" + rangeName + "' in " + store.name() + " (ranges: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + "); define it with "
                + "defineRange(PortRange.of(\"" + rangeName + "\", start, end)) or name another";
    }

    private Map<String, PortRange> cachedRanges() {
        Map<String, PortRange> ranges = rangeCache;
        return ranges != null ? ranges : freshRanges();
    }

    private Map<String, PortRange> freshRanges() {
        Map<String, PortRange> ranges = new LinkedHashMap<>();
        for (PortRange r : store.ranges()) {
            ranges.put(r.name(), r);
        }
        rangeCache = ranges;
        return ranges;
    }

    // ---- helpers ----

    private boolean releaseOne(Allocation allocation, String reason) {
        StoreChange change = store.release(allocation.id(), HistoryAction.RELEASED, reason, allocatedBy, clock.instant());
        if (change.isEmpty()) {
            LOG.info("[{}] nothing released: {} was already released or reclaimed", name, allocation.describe());
            return false;
        }
        LOG.debug("[{}] released {}", name, allocation.describe());
        publish(change);
        return true;
    }

    private Optional<Allocation> findLive(String h, String project, String service, String env) {
        Instant now = clock.instant();
        LeaseJudge judge = judges.forOperation();
        for (Allocation a : store.list(serviceQuery(h, project, service, env))) {
            if (judge.isLive(a, now)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private Optional<Allocation> unended(String h, String project, String service, String env) {
        return store.list(serviceQuery(h, project, service, env)).stream().findFirst();
    }

    private static AllocationQuery serviceQuery(String h, String project, String service, String env) {
        return AllocationQuery.builder().host(h).project(project).service(service).environment(env).build();
    }

    private List<Allocation> liveAt(String h, int port) {
        return list(AllocationQuery.builder().host(h).port(port).build());
    }

    private String holderOf(int port, Protocol protocol) {
        for (ListeningSocket s : probe.listening(port, port, protocol)) {
            if (s.process().isPresent()) {
                return s.process().get().toString();
            }
        }
        return "";
    }

    private static String owners(Claim c) {
        return c.busyOwners.isEmpty() ? "" : " (" + String.join(", ", c.busyOwners) + ")";
    }

    private static AllocationRequest.Builder requestLike(Allocation a) {
        AllocationRequest.Builder b = AllocationRequest.builder(a.project(), a.service())
                .environment(a.environment()).host(a.host()).protocol(a.protocol())
                .description(a.description()).metadata(a.metadata());
        a.range().ifPresent(b::range);
        a.healthEndpoint().ifPresent(b::healthEndpoint);
        a.owner().ifPresent(b::owner);
        return b;
    }

    private String hostOf(AllocationRequest request) {
        return request.host().orElse(host);
    }

    private String environmentOf(AllocationRequest request) {
        return request.environment().orElse(environment);
    }

    private void warnIfNotAsked(AllocationRequest request, Allocation a) {
        if (request.exact() && request.port().getAsInt() != a.port()) {
            LOG.warn("[{}] {} keeps port {}, not the {} asked for; reassign it to move it", name,
                    a.project() + "/" + a.service(), a.port(), request.port().getAsInt());
        }
    }

    private AllocationNotFoundException notFound(String what, String project, String service) {
        return new AllocationNotFoundException("cannot " + what + " " + project + "/" + service + ": it holds no port on "
                + host + " (environment " + environment + "); allocate one first");
    }

    private static void checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl == null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl " + ttl + " is not positive; give a lease such as Duration.ofMinutes(10)");
        }
    }

    private void publish(StoreChange change) {
        for (HistoryEntry entry : change.history()) {
            emit(PortEvent.of(entry));
        }
    }

    private void emit(PortEvent event) {
        for (PortEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("[{}] event listener {} failed on {}; the change stands", name, listener, event, e);
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("port manager '" + name + "' is closed; build a new one");
        }
    }
}
