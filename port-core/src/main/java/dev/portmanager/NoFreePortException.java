package dev.portmanager;

import java.util.Optional;

/**
 * No port of the searched range could be allocated: every port is allocated, busy or excluded.
 * The message says which range, how many ports are in each state, and what to do.
 */
public class NoFreePortException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    private final String range;
    private final int first;
    private final int last;
    private final String host;
    private final Protocol protocol;
    private final int allocated;
    private final int busy;
    private final int excluded;

    /**
     * @param range     the range name, or null when the search covered ports outside every range
     * @param first     the first port searched
     * @param last      the last port searched
     * @param host      the host
     * @param protocol  the protocol
     * @param allocated live allocations among the searched ports
     * @param busy      ports found held by processes the registry does not know
     * @param excluded  ports the policy excludes
     * @param busyOwners the processes seen on busy ports, such as {@code pids 412, 977}; empty when unknown
     */
    public NoFreePortException(String range, int first, int last, String host, Protocol protocol, int allocated,
                               int busy, int excluded, String busyOwners) {
        super("no free " + protocol + " port in " + (range == null ? "ports" : "range '" + range + "'") + " "
                + first + "-" + last + " on " + host + ": " + allocated + " allocated, " + busy + " busy"
                + (busyOwners == null || busyOwners.isEmpty() ? "" : " (" + busyOwners + ")") + ", " + excluded
                + " excluded; " + (range == null ? "define a range with room" : "widen the range") + " or release one");
        this.range = range;
        this.first = first;
        this.last = last;
        this.host = host;
        this.protocol = protocol;
        this.allocated = allocated;
        this.busy = busy;
        this.excluded = excluded;
    }

    /**
     * For failures outside one range search, such as no free project block; the counters read zero.
     *
     * @param message what failed and what to do
     */
    public NoFreePortException(String message) {
        super(message);
        this.range = null;
        this.first = 0;
        this.last = 0;
        this.host = "";
        this.protocol = Protocol.TCP;
        this.allocated = 0;
        this.busy = 0;
        this.excluded = 0;
    }

    /** The range searched; empty when the search covered ports outside every range. */
    public Optional<String> range() {
        return Optional.ofNullable(range);
    }

    /** The first port searched. */
    public int first() {
        return first;
    }

    /** The last port searched. */
    public int last() {
        return last;
    }

    /** The host. */
    public String host() {
        return host;
    }

    /** The protocol. */
    public Protocol protocol() {
        return protocol;
    }

    /** Live allocations among the searched ports. */
    public int allocated() {
        return allocated;
    }

    /** Ports found held by processes the registry does not know. */
    public int busy() {
        return busy;
    }

    /** Ports the policy excludes. */
    public int excluded() {
        return excluded;
    }
}
