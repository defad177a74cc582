package dev.portmanager.spi;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortRange;
import dev.portmanager.RangeConflictException;
import dev.portmanager.StoreUnavailableException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry: allocations, ranges and history, kept where every process sharing it can see them.
 *
 * <p>Every mutating operation is atomic and writes its history entries in the same step; every read reflects
 * committed state. Implementations must be thread-safe, and safe across processes (and hosts) as far as the medium
 * allows; each must pass {@code PortStoreContract}. Failures to reach the medium are
 * {@link StoreUnavailableException}, unreadable data {@link dev.portmanager.StoreCorruptedException}.
 */
public interface PortStore extends AutoCloseable {
    /** What this store is, for messages and logs, such as {@code json:/home/ana/.portmanager/ports.json}. */
    String name();

    /** The stored ranges, by name. */
    List<PortRange> ranges();

    /**
     * Stores a range unless one of that name is stored; returns the stored one.
     *
     * @throws RangeConflictException if a range of that name is stored with other ports
     */
    PortRange defineRange(PortRange range);

    /**
     * Stores each range unless one of its name is stored, as {@link #defineRange} does for one, and returns the stored
     * ones in the order given. A store that can do it in one change overrides this (the JSON store writes its file once,
     * and stores none of them when one conflicts); this default calls {@link #defineRange} for each, in order, so the
     * ranges before a conflicting one stay stored. Thread-safe as the store is.
     *
     * @throws RangeConflictException if a range of one of those names is stored with other ports
     * @throws NullPointerException   if the list or one of its ranges is null
     */
    default List<PortRange> defineRanges(List<PortRange> ranges) {
        List<PortRange> stored = new ArrayList<>(ranges.size());
        for (PortRange range : ranges) {
            stored.add(defineRange(range));
        }
        return List.copyOf(stored);
    }

    /**
     * Returns the range {@code name} if it exists; otherwise, atomically, stores the first block of {@code size}
     * ports, from {@code first} upward in steps of {@code size}, that overlaps no stored range, under that name.
     *
     * @throws NoFreePortException if every block of {@code first..last} overlaps a stored range
     */
    PortRange defineBlock(String name, int first, int last, int size, String description);

    /** The store's allocator: the atomic claim. */
    Allocator allocator();

    /**
     * The allocations matching the query that have not been released or reclaimed, ordered by host, port and
     * protocol. Lapsed allocations not yet reclaimed are included; the caller judges liveness.
     */
    List<Allocation> list(AllocationQuery query);

    /**
     * Ends the allocation with this id and records {@code action} (RELEASED, CONFLICT_DETECTED or EXPIRED).
     *
     * @return the ended allocation and its history entry, or {@link StoreChange#none()} if no allocation has this
     *         id (never made, or already ended)
     */
    StoreChange release(String id, HistoryAction action, String reason, String by, Instant at);

    /**
     * Applies the update to the allocation with this id and records {@code UPDATED} if anything changed.
     *
     * @return the updated allocation (with no history if nothing changed), or {@link StoreChange#none()} if no
     *         allocation has this id
     */
    StoreChange update(String id, AllocationUpdate update, String by, Instant at);

    /**
     * Keeps the result of one health check of an allocation, for stores with a place for every check (the JDBC
     * store's {@code port_health_checks}). The allocation's current {@code healthStatus} is kept through
     * {@link #update}; by default this does nothing.
     */
    default void recordHealthCheck(String id, dev.portmanager.HealthResult result, Instant at) {
        // Stores without a history of checks keep only the current status.
    }

    /** The most recent {@code query.limit()} matching history entries, oldest first. */
    List<HistoryEntry> history(HistoryQuery query);

    /**
     * The clock that rules lease expiry in this registry, given the manager's own. The manager asks once, when it is
     * built, and reads every "now" from the answer: the instant it judges leases at (its {@link LeaseJudge#now()}),
     * the end of a new or renewed lease, the times it records. The default answers the manager's clock. A registry
     * that several hosts share, whose clocks may be apart, answers a clock that follows the registry's own time (the
     * JDBC store: the database's), so that every host agrees on when a lease ends, and agrees with whatever else
     * writes to the registry (SQL functions). Must not fail; must be thread-safe, and so must the clock it answers.
     *
     * @param managerClock the clock the manager was built with; never null
     * @return the clock the manager uses with this store; never null
     */
    default Clock clock(Clock managerClock) {
        return managerClock;
    }

    /** Releases the store's resources (files, connections); never its data. Idempotent. */
    @Override
    void close();
}
