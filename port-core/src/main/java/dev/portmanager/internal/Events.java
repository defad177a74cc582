package dev.portmanager.internal;

import dev.portmanager.HistoryEntry;
import dev.portmanager.PortEvent;
import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.spi.StoreChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The manager's listeners: a {@link PortEvent} for every history entry a store change committed, and the monitor's
 * findings, and the timing of every allocating call. A listener that throws is logged and never breaks the change,
 * which stands. Thread-safe: listeners may be added and removed while events are published.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final String name;
    private final List<PortEventListener> listeners;

    Events(String name, List<PortEventListener> listeners) {
        this.name = name;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
    }

    void add(PortEventListener listener) {
        listeners.add(listener);
    }

    boolean remove(PortEventListener listener) {
        return listeners.remove(listener);
    }

    /** Tells every listener how long an allocating call took, and what it threw (null when it returned). */
    void timed(String operation, Duration elapsed, Throwable failure) {
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

    /** One event per history entry of the change, in order. */
    void publish(StoreChange change) {
        for (HistoryEntry entry : change.history()) {
            emit(PortEvent.of(entry));
        }
    }

    /** Tells every listener, in order. */
    void emit(PortEvent event) {
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
}
