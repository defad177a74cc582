package dev.portmanager;

import java.util.Objects;
import java.util.Optional;

/**
 * A socket bound on this machine, as a {@link dev.portmanager.spi.PortProbe} sees it. Immutable and thread-safe.
 *
 * @param protocol the transport: {@link Protocol#TCP} or {@link Protocol#UDP}
 * @param address  the local address it is bound to, such as {@code 0.0.0.0}, {@code ::} or {@code 127.0.0.1}
 * @param port     the local port
 * @param state    the TCP state ({@code LISTEN}) or {@code UNCONN} for UDP
 * @param process  the owning process; empty when the probe cannot see it (another user's, without privileges)
 */
public record ListeningSocket(Protocol protocol, String address, int port, String state,
                              Optional<ProcessInfo> process) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the protocol is BOTH or the port is outside 1-65535
     * @throws NullPointerException     if a component is null
     */
    public ListeningSocket {
        Objects.requireNonNull(protocol, "protocol == null");
        if (protocol == Protocol.BOTH) {
            throw new IllegalArgumentException("a socket is TCP or UDP, not BOTH");
        }
        dev.portmanager.Checks.port("port", port);
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(process, "process == null");
    }

    /** {@code TCP 0.0.0.0:8080 LISTEN python3 (pid 12345)}. */
    @Override
    public String toString() {
        String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return protocol + " " + host + ":" + port + " " + state + process.map(p -> " " + p).orElse(" (owner unknown)");
    }
}
