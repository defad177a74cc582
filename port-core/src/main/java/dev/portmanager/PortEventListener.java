package dev.portmanager;

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
}
