package dev.portmanager;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed change to the registry, written by the store in the same atomic step as the change.
 * Immutable and thread-safe.
 *
 * @param at          when the change was made
 * @param action      what happened
 * @param port        the port concerned
 * @param protocol    its protocol
 * @param host        its host
 * @param project     the project of the allocation concerned
 * @param service     the service of the allocation concerned
 * @param environment the environment of the allocation concerned
 * @param by          who made the change ({@code user@host})
 * @param reason      why, in words; empty when nothing more is known
 */
public record HistoryEntry(Instant at, HistoryAction action, int port, Protocol protocol, String host,
                           String project, String service, String environment, String by, String reason) {

    /**
     * Checks that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public HistoryEntry {
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(protocol, "protocol == null");
        Objects.requireNonNull(host, "host == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(service, "service == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(by, "by == null");
        Objects.requireNonNull(reason, "reason == null");
    }

    /**
     * The entry recording {@code action} on {@code allocation}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static HistoryEntry of(Instant at, HistoryAction action, Allocation allocation, String by, String reason) {
        return new HistoryEntry(at, action, allocation.port(), allocation.protocol(), allocation.host(),
                allocation.project(), allocation.service(), allocation.environment(), by, reason);
    }
}
