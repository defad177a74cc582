package dev.portmanager.spi;

import dev.portmanager.ListeningSocket;
import dev.portmanager.Protocol;

import java.util.List;

/**
 * What the operating system says about ports on this machine. The manager asks it which ports are already in use
 * before a claim, and checks each claimed port with {@link #isFree} after it.
 *
 * <p>Core ships a bind-only probe; {@code port-probe}'s {@code SystemProbe} also reads the OS socket table.
 * Implementations must be thread-safe.
 */
public interface PortProbe {
    /**
     * Core's bind-only probe: {@link #isFree} binds the wildcard and loopback addresses without
     * {@code SO_REUSEADDR}; {@link #listening} sees nothing. The manager's default; other probes may delegate their
     * bind checks to it. Thread-safe and stateless.
     */
    static PortProbe bindOnly() {
        return new BindProbe();
    }

    /**
     * Whether the port can be bound for the protocol as a consumer would bind it: on the wildcard addresses
     * ({@code 0.0.0.0}, {@code ::}) and the loopback addresses, without {@code SO_REUSEADDR}. An address family the
     * machine lacks counts as absent, not busy. {@code BOTH} is free only if TCP and UDP are.
     *
     * @throws IllegalArgumentException if the port is outside 1-65535
     * @throws NullPointerException     if the protocol is null
     */
    boolean isFree(int port, Protocol protocol);

    /**
     * The sockets this probe can see bound to ports {@code first..last} for the protocol ({@code BOTH}: either), with
     * their owners when cheaply known. A probe that sees ports only by binding them returns an empty list.
     *
     * @throws IllegalArgumentException if the span is not within 1-65535
     */
    default List<ListeningSocket> listening(int first, int last, Protocol protocol) {
        return List.of();
    }

    /**
     * Every socket this probe can see bound on this machine, with its owner when the probe can see it; an owner it
     * cannot see (another user's process, without privileges) is empty, never dropped. The audit asks for this.
     */
    default List<ListeningSocket> listeners() {
        return List.of();
    }

    /**
     * Whether {@link #listeners()} is the machine's socket table. When it is not (the bind-only probe), an empty
     * listing means "cannot see", not "nothing listens", and the audit falls back to bind checks.
     */
    default boolean seesSockets() {
        return false;
    }
}
