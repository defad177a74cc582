package dev.portmanager.internal;

import dev.portmanager.HistoryEntry;
import dev.portmanager.PortEvent;
import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.spi.StoreChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The manager's listeners: a {@link PortEvent} for every history entry a store change committed, and the monitor's
 * findings. A listener that throws is logged and never breaks the change, which stands. Thread-safe: the listener
 * list is fixed at build time.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final String name;
    private final List<PortEventListener> listeners;

    Events(String name, List<PortEventListener> listeners) {
        this.name = name;
        this.listeners = List.copyOf(listeners);
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
