package dev.portmanager;

import java.time.Duration;
import java.util.Optional;

/**
 * A schedule that audits the registry and checks each allocation's health, made by {@link PortManager#monitor}.
 * Each round runs {@link PortManager#audit()}, checks every live active allocation of the manager's host (its HTTP
 * health endpoint, else a TCP connection), records a changed health status in the store, and emits
 * {@link PortEvent.Type#ZOMBIE}, {@link PortEvent.Type#ORPHAN}, {@link PortEvent.Type#CONFLICT},
 * {@link PortEvent.Type#UNHEALTHY} and {@link PortEvent.Type#RECOVERED} events once per change, not once per round.
 *
 * <p>Thread-safe. Closing it (or its manager) stops it cleanly: a round in progress finishes first.
 */
public interface PortMonitor extends AutoCloseable {
    /** The time between rounds. */
    Duration interval();

    /**
     * Runs one round now, on the calling thread, between the scheduled ones.
     *
     * @return the round's audit
     * @throws IllegalStateException if the monitor is closed
     */
    AuditReport runOnce();

    /** The audit of the last round that completed, scheduled or {@link #runOnce}; empty before the first. */
    Optional<AuditReport> lastAudit();

    /** Whether rounds are still scheduled. */
    boolean isRunning();

    /** Stops the schedule and waits for a round in progress (at most 30 seconds). Idempotent. */
    @Override
    void close();
}
