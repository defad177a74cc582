package dev.portmanager;

import java.util.Objects;

/**
 * A committed change, delivered to {@link PortEventListener}s after the store made it durable.
 * Immutable and thread-safe.
 *
 * @param type  what happened
 * @param entry the history entry the store wrote for it
 */
public record PortEvent(Type type, HistoryEntry entry) {

    /** What an event reports; the registry changes mirror {@link HistoryAction}. */
    public enum Type {
        /** A port was allocated. */
        ALLOCATED,
        /** A port was reserved. */
        RESERVED,
        /** An allocation was released. */
        RELEASED,
        /** A lapsed allocation was reclaimed. */
        EXPIRED,
        /** A service moved to another port. */
        REASSIGNED,
        /** A claimed port was found held by an unmanaged process. */
        CONFLICT_DETECTED,
        /** An allocation's data changed. */
        UPDATED;

        /** The event type for a history action. */
        public static Type of(HistoryAction action) {
            return valueOf(action.name());
        }
    }

    /**
     * Checks that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public PortEvent {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(entry, "entry == null");
    }

    /** The event for a history entry. @throws NullPointerException if the entry is null */
    public static PortEvent of(HistoryEntry entry) {
        return new PortEvent(Type.of(entry.action()), entry);
    }

    /** The port concerned. */
    public int port() {
        return entry.port();
    }

    /** {@code ALLOCATED consilio/api 3100/TCP on localhost: reason}. */
    @Override
    public String toString() {
        return type + " " + entry.project() + "/" + entry.service() + " " + entry.port() + "/" + entry.protocol()
                + " on " + entry.host() + (entry.reason().isEmpty() ? "" : ": " + entry.reason());
    }
}
