package dev.portmanager;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a {@link PortManager} reports to its {@link PortEventListener}s: a committed change to the registry (the
 * types named like {@link HistoryAction}s), or a finding of a monitor ({@link Type#ZOMBIE}, {@link Type#ORPHAN},
 * {@link Type#CONFLICT}, {@link Type#UNHEALTHY}, {@link Type#RECOVERED}), reported once per change. Immutable and
 * thread-safe.
 *
 * @param type        what happened
 * @param at          when
 * @param port        the port concerned
 * @param protocol    its protocol
 * @param host        its host
 * @param project     the project of the allocation concerned; empty for an orphan, which has none
 * @param service     the service of the allocation concerned; empty for an orphan
 * @param environment the environment of the allocation concerned; empty for an orphan
 * @param detail      what more is known: the history reason, the process found, the failed check
 */
public record PortEvent(Type type, Instant at, int port, Protocol protocol, String host, String project,
                        String service, String environment, String detail) {

    /** What an event reports. */
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
        /** A claimed port was found held by an unmanaged process and given back. */
        CONFLICT_DETECTED,
        /** An allocation's data changed. */
        UPDATED,
        /** Monitoring: an allocated port has nothing listening. */
        ZOMBIE,
        /** Monitoring: something listens inside a managed range with no allocation. */
        ORPHAN,
        /** Monitoring: an allocated port is held by a process other than the one expected. */
        CONFLICT,
        /** Monitoring: a service's health check failed. */
        UNHEALTHY,
        /** Monitoring: a running service uses more than a resource limit (memory, CPU). */
        OVER_LIMIT,
        /** Monitoring: a zombie, conflict, unhealthy or over-limit service is back to normal. */
        RECOVERED;

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
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(protocol, "protocol == null");
        Objects.requireNonNull(host, "host == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(service, "service == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(detail, "detail == null");
    }

    /** The event for a committed change. @throws NullPointerException if the entry is null */
    public static PortEvent of(HistoryEntry entry) {
        return new PortEvent(Type.of(entry.action()), entry.at(), entry.port(), entry.protocol(), entry.host(),
                entry.project(), entry.service(), entry.environment(), entry.reason());
    }

    /** A monitoring finding about an allocation. @throws NullPointerException if an argument is null */
    public static PortEvent about(Type type, Instant at, Allocation allocation, String detail) {
        return new PortEvent(type, at, allocation.port(), allocation.protocol(), allocation.host(),
                allocation.project(), allocation.service(), allocation.environment(), detail);
    }

    /** {@code ALLOCATED consilio/api 3100/TCP on localhost: reason}. */
    @Override
    public String toString() {
        String who = project.isEmpty() ? "" : " " + project + "/" + service;
        return type + who + " " + port + "/" + protocol + " on " + host + (detail.isEmpty() ? "" : ": " + detail);
    }
}
