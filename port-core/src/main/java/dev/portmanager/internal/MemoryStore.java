package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.Checks;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortRange;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.Allocator;
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;
import dev.portmanager.spi.support.Registry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference store: the registry in this JVM's memory, guarded by one lock. Thread-safe; not shared with other
 * processes and gone when the JVM exits. History keeps the latest 100,000 entries. Open it with the store URI
 * {@code memory:} (a new store) or {@code memory:<name>} (one store per name in the JVM).
 */
final class MemoryStore implements PortStore {
    static final int HISTORY_LIMIT = 100_000;

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Registry registry;
    private final ArrayDeque<HistoryEntry> history = new ArrayDeque<>();

    /**
     * An empty store.
     *
     * @param name the store's name for messages, such as {@code memory:tests}
     */
    MemoryStore(String name) {
        this.name = Checks.name("store name", name);
        this.registry = new Registry(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<PortRange> ranges() {
        lock.lock();
        try {
            return registry.ranges();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PortRange defineRange(PortRange range) {
        lock.lock();
        try {
            registry.defineRange(range);
            return registry.range(range.name()).orElseThrow();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PortRange defineBlock(String blockName, int first, int last, int size, String description) {
        lock.lock();
        try {
            return registry.defineBlock(blockName, first, last, size, description);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Allocator allocator() {
        return this::allocate;
    }

    private StoreChange allocate(List<AllocationPlan> plans, LeaseJudge judge) {
        lock.lock();
        try {
            return record(registry.allocate(plans, judge));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Allocation> list(AllocationQuery query) {
        lock.lock();
        try {
            return registry.list(query);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoreChange release(String id, HistoryAction action, String reason, String by, Instant at) {
        lock.lock();
        try {
            return record(registry.release(id, action, reason, by, at));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoreChange update(String id, AllocationUpdate update, String by, Instant at) {
        lock.lock();
        try {
            return record(registry.update(id, update, by, at));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<HistoryEntry> history(HistoryQuery query) {
        lock.lock();
        try {
            List<HistoryEntry> out = new ArrayList<>();
            Iterator<HistoryEntry> newestFirst = history.descendingIterator();
            while (newestFirst.hasNext() && out.size() < query.limit()) {
                HistoryEntry e = newestFirst.next();
                if (query.test(e)) {
                    out.add(e);
                }
            }
            Collections.reverse(out);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Nothing to release: the data lives as long as the store object. */
    @Override
    public void close() {
        // Nothing held: no file, no connection.
    }

    private StoreChange record(StoreChange change) {
        for (HistoryEntry e : change.history()) {
            history.addLast(e);
            if (history.size() > HISTORY_LIMIT) {
                history.removeFirst();
            }
        }
        return change;
    }

    @Override
    public String toString() {
        return "MemoryStore{" + name + "}";
    }
}
