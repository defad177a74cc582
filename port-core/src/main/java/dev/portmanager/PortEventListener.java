package dev.portmanager;

import java.time.Duration;

/**
 * Receives a {@link PortEvent} after each committed change made through a {@link PortManager}.
 *
 * <p>Listeners are called on the thread that made the change, after the store's lock is released, in the order the
 * changes were committed. A listener that throws is logged and skipped: it never undoes or fails an allocation.
 * Implementations must be thread-safe when the manager is shared between threads, and should return quickly.
 */
@FunctionalInterface
public interface PortEventListener {
    /**
     * Called once per committed change.
     *
     * @param event the change; never null
     */
    void onEvent(PortEvent event);

    /**
     * Called once per call that claims ports in the store, when it returns or fails, with how long it took: a
     * {@code getOrAllocate} that found no live allocation, {@code allocate}, {@code reserve}, {@code allocateAll}
     * (and the claims made of them) and {@code reassign} to a port. Called on the calling thread, after the
     * {@link #onEvent} calls of the change. Does nothing unless overridden: metrics time allocations with it.
     *
     * @param operation {@code get_or_allocate}, {@code allocate}, {@code reserve}, {@code allocate_all} or
     *                  {@code reassign}
     * @param elapsed   how long the call took, retries included
     * @param failure   what the call threw, or null when it returned an allocation
     */
    default void onAllocationTimed(String operation, Duration elapsed, Throwable failure) {
    }
}
