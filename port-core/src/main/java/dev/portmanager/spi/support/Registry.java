package dev.portmanager.spi.support;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortRange;
import dev.portmanager.RangeConflictException;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PrimitiveIterator;
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
    public static final Comparator<Allocation> ORDER = new ListOrder();

    private final String storeName;
    private final Supplier<String> ids;
    private final TreeMap<String, PortRange> ranges = new TreeMap<>();
    private final AllocationIndex index = new AllocationIndex();

    /**
     * An empty registry whose new allocations get random UUIDs.
     *
     * @param storeName the store's name, for messages
     */
    public Registry(String storeName) {
        this(storeName, new RandomIds());
    }

    // Named classes, not lambdas, method references or Comparator.comparing chains: each of those spins a class at
    // its first use, and a registry is made and sorted on the path of every program's first getOrAllocate (start-up,
    // issue 20).

    /** {@link #ORDER}: host, port, protocol (in declaration order), project, service, environment. */
    private static final class ListOrder implements Comparator<Allocation> {
        @Override
        public int compare(Allocation a, Allocation b) {
            int c = a.host().compareTo(b.host());
            if (c == 0) {
                c = Integer.compare(a.port(), b.port());
            }
            if (c == 0) {
                c = a.protocol().compareTo(b.protocol());
            }
            if (c == 0) {
                c = a.project().compareTo(b.project());
            }
            if (c == 0) {
                c = a.service().compareTo(b.service());
            }
            if (c == 0) {
                c = a.environment().compareTo(b.environment());
            }
            return c;
        }
    }

    /** A random UUID for each new allocation. */
    private static final class RandomIds implements Supplier<String> {
        @Override
        public String get() {
            return UUID.randomUUID().toString();
        }
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
        return index.all();
    }

    /** The allocation with this id, if it has not ended. */
    public Optional<Allocation> get(String id) {
        return Optional.ofNullable(index.get(id));
    }

    /**
     * Adds or replaces an allocation as it is, without checks: for stores loading their medium.
     *
     * @throws NullPointerException if the allocation is null
     */
    public void put(Allocation allocation) {
        index.put(allocation);
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
        Collection<Allocation> candidates = index.all();
        if (query.hostFilter() != null && query.projectFilter() != null && query.serviceFilter() != null
                && query.environmentFilter() != null) {
            candidates = index.ofService(query.hostFilter(), query.projectFilter(), query.serviceFilter(),
                    query.environmentFilter());
        } else if (query.hostFilter() != null && query.portFilter() != 0) {
            candidates = index.atPort(query.hostFilter(), query.portFilter());
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
     * The atomic claim of {@link dev.portmanager.spi.Allocator#allocate}: each plan is decided by
     * {@link AllocationDecision}, and every plan is decided before any is applied, so a failure leaves the registry as
     * it was.
     *
     * @throws IllegalArgumentException if {@code plans} is empty
     * @see dev.portmanager.spi.Allocator#allocate
     */
    public StoreChange allocate(List<AllocationPlan> plans, LeaseJudge judge) {
        AllocationDecision.checkPlans(plans);
        Instant now = judge.now();
        Batch batch = new Batch(index);
        List<Allocation> results = new ArrayList<>();
        List<Allocation> created = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        for (AllocationPlan plan : plans) {
            AllocationDecision decision = AllocationDecision.decide(plan, batch.ofService(plan), batch, judge, now);
            if (decision.existing().isPresent()) {
                results.add(decision.existing().get());
                continue;
            }
            List<Allocation> reclaim = new ArrayList<>();
            int port = choose(decision, batch, reclaim);
            if (port == 0) {
                throw plan.noFreePort(batch.countLive(plan, judge, now));
            }
            Optional<String> kept = plan.keptId();
            String id = kept.isPresent() && index.get(kept.get()) == null && batch.unended(kept.get()).isEmpty()
                    ? kept.get() : ids.get();
            Allocation allocation = plan.toAllocation(id, port, now);
            for (Allocation r : decision.lapsed()) {
                if (!reclaim.contains(r)) {
                    reclaim.add(r);
                }
            }
            for (Allocation r : reclaim) {
                batch.end(r);
                history.add(decision.expired(r));
            }
            if (decision.replaced().isPresent()) {
                batch.end(decision.replaced().get());
            }
            batch.add(allocation);
            history.addAll(decision.historyFor(allocation));
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
        Allocation a = index.get(id);
        if (a == null) {
            return StoreChange.none();
        }
        index.remove(a);
        return new StoreChange(List.of(a), List.of(), List.of(HistoryEntry.of(at, action, a, by, reason)));
    }

    /**
     * Updates the allocation with this id.
     *
     * @return the updated allocation, with an UPDATED entry if anything changed, or {@link StoreChange#none()} if
     *         there is no such allocation
     */
    public StoreChange update(String id, AllocationUpdate update, String by, Instant at) {
        Allocation a = index.get(id);
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

    /** The first port the decision may take, its lapsed occupants added to {@code reclaim}; 0 for none. */
    private static int choose(AllocationDecision decision, Batch batch, List<Allocation> reclaim) {
        String host = decision.plan().host();
        for (PrimitiveIterator.OfInt ports = decision.ports(); ports.hasNext(); ) {
            int port = ports.nextInt();
            if (decision.mayTake(batch.atPort(host, port), reclaim)) {
                return port;
            }
        }
        return 0;
    }

    /** {@code Registry{memory: 6 ranges, 12 allocations}}. */
    @Override
    public String toString() {
        return "Registry{" + storeName + ": " + ranges.size() + " ranges, " + index.size() + " allocations}";
    }
}
