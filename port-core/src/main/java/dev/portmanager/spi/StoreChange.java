package dev.portmanager.spi;

import dev.portmanager.Allocation;
import dev.portmanager.HistoryEntry;

import java.util.List;
import java.util.Objects;

/**
 * What a store operation did: the allocations it returns, which of them it created, and the history entries it
 * committed with the change (the manager turns each entry into an event). Immutable and thread-safe.
 *
 * @param allocations the allocations the operation returns, in request order
 * @param created     those of {@code allocations} that the operation created
 * @param history     the entries committed, in order; empty when nothing changed
 */
public record StoreChange(List<Allocation> allocations, List<Allocation> created, List<HistoryEntry> history) {
    private static final StoreChange NONE = new StoreChange(List.of(), List.of(), List.of());

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a list or an element is null
     */
    public StoreChange {
        allocations = List.copyOf(Objects.requireNonNull(allocations, "allocations == null"));
        created = List.copyOf(Objects.requireNonNull(created, "created == null"));
        history = List.copyOf(Objects.requireNonNull(history, "history == null"));
    }

    /** The change of an operation that found nothing to do. */
    public static StoreChange none() {
        return NONE;
    }

    /** Whether nothing was committed. */
    public boolean isEmpty() {
        return history.isEmpty();
    }

    /** Whether the allocation was created by this operation (as opposed to found). */
    public boolean wasCreated(Allocation allocation) {
        for (Allocation a : created) {
            if (a.id().equals(allocation.id())) {
                return true;
            }
        }
        return false;
    }
}
