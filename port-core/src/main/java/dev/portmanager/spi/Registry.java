package dev.portmanager.spi;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.Candidates;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortRange;
import dev.portmanager.RangeConflictException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The registry held in memory, with the allocation algorithm: the engine of stores that keep the whole registry in
 * memory (the memory store; the JSON file store, which loads it from and writes it to its file).
 *
 * <p>Every operation either completes or changes nothing: {@link #allocate} decides every plan before it applies
 * any. Lookups by port and by service are indexed, so a registry of tens of thousands of allocations answers in
 * microseconds.
 *
 * <p><b>Not thread-safe:</b> the store guards it with its own lock (and, across processes, its own file lock).
 */
public final class Registry {
    /** Orders allocations as {@link PortStore#list} promises: host, port, protocol, then service. */
    public static final Comparator<Allocation> ORDER = Comparator.comparing(Allocation::host)
            .thenComparingInt(Allocation::port).thenComparing(Allocation::protocol)
            .thenComparing(Allocation::project).thenComparing(Allocation::service)
            .thenComparing(Allocation::environment);

    private final String storeName;
    private final Supplier<String> ids;
    private final TreeMap<String, PortRange> ranges = new TreeMap<>();
    private final Map<String, Allocation> byId = new LinkedHashMap<>();
    private final Map<PortKey, List<Allocation>> byPort = new HashMap<>();
    private final Map<ServiceKey, List<Allocation>> byService = new HashMap<>();

    /**
     * An empty registry whose new allocations get random UUIDs.
     *
     * @param storeName the store's name, for messages
     */
    public Registry(String storeName) {
        this(storeName, () -> UUID.randomUUID().toString());
    }

    /**
     * An empty registry.
     *
     * @param storeName the store's name, for messages
     * @param ids       gives the id of each new allocation; ids must be unique
     */
    public Registry(String storeName, Supplier<String> ids) {
        this.storeName = Objects.requireNonNull(storeName, "storeName == null");
        this.ids = Objects.requireNonNull(ids, "ids == null");
    }

    /** The ranges, by name. */
    public List<PortRange> ranges() {
        return List.copyOf(ranges.values());
    }

    /** The range of that name, if stored. */
    public Optional<PortRange> range(String name) {
        return Optional.ofNullable(ranges.get(name));
    }

    /**
     * Stores a range unless one of that name is stored.
     *
     * @return true if the range was added, false if the same range was stored already
     * @throws RangeConflictException if a range of that name is stored with other ports
     */
    public boolean defineRange(PortRange range) {
        PortRange stored = ranges.get(range.name());
        if (stored == null) {
            ranges.put(range.name(), range);
            return true;
        }
        if (!stored.sameSpanAs(range)) {
            throw new RangeConflictException(stored, range, storeName);
        }
        return false;
    }

    /**
     * The range {@code name}, creating it as the first block of {@code size} ports in {@code first..last} that
     * overlaps no stored range when it does not exist.
     *
     * @throws NoFreePortException if every block overlaps a stored range
     */
    public PortRange defineBlock(String name, int first, int last, int size, String description) {
        PortRange stored = ranges.get(name);
        if (stored != null) {
            return stored;
        }
        for (int start = first; start + size - 1 <= last; start += size) {
            PortRange block = new PortRange(name, start, start + size - 1, description, true);
            if (ranges.values().stream().noneMatch(block::overlaps)) {
                ranges.put(name, block);
                return block;
            }
        }
        List<String> taken = new ArrayList<>();
        for (PortRange r : ranges.values()) {
            if (r.start() <= last && first <= r.end()) {
                taken.add(r.toString());
            }
        }
        throw new NoFreePortException("no free block of " + size + " ports in " + first + "-" + last + " for project '"
                + name + "' in " + storeName + ": every block overlaps a stored range (" + String.join(", ", taken)
                + "); widen the project blocks or remove a finished project's range");
    }

    /** Every allocation not released or reclaimed, lapsed ones included, in insertion order; unmodifiable. */
    public Collection<Allocation> allocations() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** The allocation with this id, if it has not ended. */
    public Optional<Allocation> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Adds or replaces an allocation as it is, without checks: for stores loading their medium.
     *
     * @throws NullPointerException if the allocation is null
     */
    public void put(Allocation allocation) {
        Allocation old = byId.get(allocation.id());
        if (old != null) {
            unindex(old);
        }
        index(allocation);
    }

    /** Adds or replaces a range as it is, without checks: for stores loading their medium. */
    public void putRange(PortRange range) {
        ranges.put(range.name(), range);
    }

    /**
     * The allocations matching the query, in {@link #ORDER}. A query naming a whole service (host, project, service,
     * environment), or a host and port, is answered from an index; others scan.
     */
    public List<Allocation> list(AllocationQuery query) {
        Collection<Allocation> candidates = byId.values();
        if (query.hostFilter() != null && query.projectFilter() != null && query.serviceFilter() != null
                && query.environmentFilter() != null) {
            candidates = byService.getOrDefault(new ServiceKey(query.hostFilter(), query.projectFilter(),
                    query.serviceFilter(), query.environmentFilter()), List.of());
        } else if (query.hostFilter() != null && query.portFilter() != 0) {
            candidates = byPort.getOrDefault(new PortKey(query.hostFilter(), query.portFilter()), List.of());
        }
        List<Allocation> out = new ArrayList<>();
        for (Allocation a : candidates) {
            if (query.test(a)) {
                out.add(a);
            }
        }
        out.sort(ORDER);
        return out;
    }

    /**
     * The atomic claim of {@link dev.portmanager.spi.Allocator#allocate}: every plan is decided before any is applied, so
     * a failure leaves the registry as it was.
     *
     * @throws IllegalArgumentException if {@code plans} is empty
     * @see dev.portmanager.spi.Allocator#allocate
     */
    public StoreChange allocate(List<AllocationPlan> plans, LeaseJudge judge) {
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("no plans to allocate; pass at least one");
        }
        Instant now = judge.now();
        Batch batch = new Batch();
        List<Allocation> results = new ArrayList<>();
        List<Allocation> created = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        for (AllocationPlan plan : plans) {
            Allocation live = null;
            List<Allocation> lapsed = new ArrayList<>();
            for (Allocation a : batch.ofService(plan)) {
                if (judge.isLive(a, now)) {
                    live = a;
                } else {
                    lapsed.add(a);
                }
            }
            Allocation replaced = null;
            if (plan.mode() == AllocationPlan.Mode.GET_OR_ALLOCATE && live != null) {
                results.add(live);
                continue;
            }
            if (plan.mode() == AllocationPlan.Mode.REPLACE) {
                replaced = batch.get(plan.replaces());
                if (replaced == null) {
                    throw plan.replacedGone();
                }
                String replacedId = replaced.id();
                lapsed.removeIf(a -> a.id().equals(replacedId));
                if (live != null && live.id().equals(replacedId)) {
                    live = null;
                }
            }
            if (live != null) {
                throw plan.exists(live);
            }
            int returning = plan.mode() == AllocationPlan.Mode.GET_OR_ALLOCATE && !lapsed.isEmpty()
                    ? lapsed.get(0).port() : 0;
            List<Allocation> reclaim = new ArrayList<>();
            int port = choose(plan, batch, judge, now, returning, replaced, reclaim);
            if (port == 0) {
                throw plan.noFreePort(batch.countLive(plan, judge, now));
            }
            String id = plan.keptId().filter(kept -> !byId.containsKey(kept)).orElseGet(ids);
            Allocation allocation = plan.toAllocation(id, port, now);
            for (Allocation r : lapsed) {
                if (!reclaim.contains(r)) {
                    reclaim.add(r);
                }
            }
            for (Allocation r : reclaim) {
                batch.end(r);
                history.add(HistoryEntry.of(now, HistoryAction.EXPIRED, r, plan.allocatedBy(), judge.lapseReason(r, now)));
            }
            if (replaced != null) {
                batch.end(replaced);
                history.add(HistoryEntry.of(now, plan.replaceAction(), replaced, plan.allocatedBy(),
                        (plan.reason().isEmpty() ? "" : plan.reason() + "; ") + "moved to port " + port));
            }
            batch.add(allocation);
            history.add(plan.historyFor(allocation));
            results.add(allocation);
            created.add(allocation);
        }
        batch.apply();
        return new StoreChange(results, created, history);
    }

    /**
     * Ends the allocation with this id.
     *
     * @return the ended allocation with its history entry, or {@link StoreChange#none()} if there is none
     */
    public StoreChange release(String id, HistoryAction action, String reason, String by, Instant at) {
        Allocation a = byId.get(id);
        if (a == null) {
            return StoreChange.none();
        }
        unindex(a);
        return new StoreChange(List.of(a), List.of(), List.of(HistoryEntry.of(at, action, a, by, reason)));
    }

    /**
     * Updates the allocation with this id.
     *
     * @return the updated allocation, with an UPDATED entry if anything changed, or {@link StoreChange#none()} if
     *         there is no such allocation
     */
    public StoreChange update(String id, AllocationUpdate update, String by, Instant at) {
        Allocation a = byId.get(id);
        if (a == null) {
            return StoreChange.none();
        }
        Allocation updated = update.applyTo(a);
        if (updated.equals(a)) {
            return new StoreChange(List.of(a), List.of(), List.of());
        }
        put(updated);
        return new StoreChange(List.of(updated), List.of(),
                List.of(HistoryEntry.of(at, HistoryAction.UPDATED, updated, by, update.describe())));
    }

    private int choose(AllocationPlan plan, Batch batch, LeaseJudge judge, Instant now, int returning,
                       Allocation replaced, List<Allocation> reclaim) {
        Candidates candidates = plan.candidates();
        boolean tryReturning = returning != 0 && !candidates.exact() && candidates.allows(returning);
        if (tryReturning && take(plan, batch, judge, now, returning, replaced, reclaim)) {
            return returning;
        }
        PrimitiveIterator.OfInt ports = candidates.iterator();
        while (ports.hasNext()) {
            int port = ports.nextInt();
            if ((tryReturning && port == returning) || (replaced != null && port == replaced.port())) {
                continue;
            }
            if (take(plan, batch, judge, now, port, replaced, reclaim)) {
                return port;
            }
        }
        return 0;
    }

    /** Whether the port is free for the plan; collects lapsed occupants to reclaim. */
    private boolean take(AllocationPlan plan, Batch batch, LeaseJudge judge, Instant now, int port,
                         Allocation replaced, List<Allocation> reclaim) {
        List<Allocation> lapsed = new ArrayList<>(1);
        for (Allocation occupant : batch.atPort(plan.host(), port)) {
            if (!occupant.protocol().collidesWith(plan.protocol())
                    || (replaced != null && occupant.id().equals(replaced.id()))) {
                continue;
            }
            if (judge.isLive(occupant, now)) {
                if (plan.candidates().exact()) {
                    throw plan.portTaken(occupant);
                }
                return false;
            }
            lapsed.add(occupant);
        }
        reclaim.addAll(lapsed);
        return true;
    }

    private void index(Allocation a) {
        byId.put(a.id(), a);
        byPort.computeIfAbsent(new PortKey(a.host(), a.port()), k -> new ArrayList<>(1)).add(a);
        byService.computeIfAbsent(ServiceKey.of(a), k -> new ArrayList<>(1)).add(a);
    }

    private void unindex(Allocation a) {
        byId.remove(a.id());
        removeFrom(byPort, new PortKey(a.host(), a.port()), a);
        removeFrom(byService, ServiceKey.of(a), a);
    }

    private static <K> void removeFrom(Map<K, List<Allocation>> index, K key, Allocation a) {
        List<Allocation> list = index.get(key);
        if (list != null) {
            list.removeIf(x -> x.id().equals(a.id()));
            if (list.isEmpty()) {
                index.remove(key);
            }
        }
    }

    private record PortKey(String host, int port) {
    }

    private record ServiceKey(String host, String project, String service, String environment) {
        static ServiceKey of(Allocation a) {
            return new ServiceKey(a.host(), a.project(), a.service(), a.environment());
        }

        static ServiceKey of(AllocationPlan p) {
            return new ServiceKey(p.host(), p.project(), p.service(), p.environment());
        }
    }

    /** The changes of one {@link #allocate} call, seen over the registry and applied only at the end. */
    private final class Batch {
        private final Set<String> ended = new HashSet<>();
        private final List<Allocation> added = new ArrayList<>();

        List<Allocation> ofService(AllocationPlan plan) {
            List<Allocation> out = new ArrayList<>(2);
            for (Allocation a : byService.getOrDefault(ServiceKey.of(plan), List.of())) {
                if (!ended.contains(a.id())) {
                    out.add(a);
                }
            }
            for (Allocation a : added) {
                if (plan.isSameService(a)) {
                    out.add(a);
                }
            }
            return out;
        }

        List<Allocation> atPort(String host, int port) {
            List<Allocation> stored = byPort.getOrDefault(new PortKey(host, port), List.of());
            if (ended.isEmpty() && added.isEmpty()) {
                return stored;
            }
            List<Allocation> out = new ArrayList<>(stored.size() + 1);
            for (Allocation a : stored) {
                if (!ended.contains(a.id())) {
                    out.add(a);
                }
            }
            for (Allocation a : added) {
                if (a.port() == port && a.host().equals(host)) {
                    out.add(a);
                }
            }
            return out;
        }

        Allocation get(String id) {
            if (!ended.contains(id) && byId.containsKey(id)) {
                return byId.get(id);
            }
            for (Allocation a : added) {
                if (a.id().equals(id)) {
                    return a;
                }
            }
            return null;
        }

        int countLive(AllocationPlan plan, LeaseJudge judge, Instant now) {
            Candidates c = plan.candidates();
            Set<Integer> ports = new HashSet<>();
            List<Allocation> all = new ArrayList<>(byId.values());
            all.addAll(added);
            for (Allocation a : all) {
                if (!ended.contains(a.id()) && a.host().equals(plan.host()) && a.port() >= c.first()
                        && a.port() <= c.last() && a.protocol().collidesWith(plan.protocol())
                        && judge.isLive(a, now)) {
                    ports.add(a.port());
                }
            }
            return ports.size();
        }

        void end(Allocation a) {
            if (!added.removeIf(x -> x.id().equals(a.id()))) {
                ended.add(a.id());
            }
        }

        void add(Allocation a) {
            added.add(a);
        }

        void apply() {
            for (String id : ended) {
                Allocation a = byId.get(id);
                if (a != null) {
                    unindex(a);
                }
            }
            for (Allocation a : added) {
                index(a);
            }
        }
    }

    /** {@code Registry{memory: 6 ranges, 12 allocations}}. */
    @Override
    public String toString() {
        return "Registry{" + storeName + ": " + ranges.size() + " ranges, " + byId.size() + " allocations}";
    }
}
