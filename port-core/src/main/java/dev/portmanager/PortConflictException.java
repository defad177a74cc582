package dev.portmanager;

import java.util.Optional;

/**
 * A specific port that was asked for is held: allocated to another service, or in use by a process the registry
 * does not know. The message names the holder and what to do.
 */
public class PortConflictException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    private final int port;
    private final transient Allocation holder;

    /**
     * @param port    the port asked for
     * @param holder  the allocation holding it, or null when an unmanaged process holds it
     * @param message what failed and what to do
     */
    public PortConflictException(int port, Allocation holder, String message) {
        super(message);
        this.port = port;
        this.holder = holder;
    }

    /** The port asked for. */
    public int port() {
        return port;
    }

    /** The allocation holding the port; empty when a process outside the registry holds it. */
    public Optional<Allocation> holder() {
        return Optional.ofNullable(holder);
    }
}
