package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.Protocol;

import java.util.List;

/** One platform's way to read the OS socket table. Implementations are thread-safe. */
interface SocketTable {
    /**
     * The listening TCP and bound UDP sockets on ports {@code first..last} for the protocol ({@code BOTH}: either),
     * sorted by port, protocol and address.
     *
     * @param thorough whether to find every visible owner now (for {@code listeners()} and {@code owner()}); when
     *                 false the table may leave owners unknown that would be costly to find (the allocation hot path)
     * @throws ProbeUnavailableException if the table cannot be read at all
     */
    List<ListeningSocket> sockets(int first, int last, Protocol protocol, boolean thorough);

    /** Describes processes for this platform. */
    ProcessReader processes();
}
