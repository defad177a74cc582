package dev.portmanager.probe;

import dev.portmanager.Checks;
import dev.portmanager.ListeningSocket;
import dev.portmanager.Protocol;
import dev.portmanager.spi.PortProbe;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PortProbe} that reads the operating system's socket table: which process listens on which port. Use it
 * in place of core's bind-only probe with {@code PortManager.builder().probe(SystemProbe.create())}, or on its own:
 *
 * <pre>{@code
 * SystemProbe probe = SystemProbe.create();
 * for (ListeningSocket s : probe.listeners()) {
 *     System.out.println(s);            // TCP 0.0.0.0:8080 LISTEN python3 (pid 12345)
 * }
 * probe.owner(8767, Protocol.TCP).flatMap(ListeningSocket::process)
 *      .ifPresent(p -> System.out.println("port 8767 is held by " + p.name() + " (pid " + p.pid() + ")"));
 * }</pre>
 *
 * <p>Where the table comes from is picked at run time: on Linux {@code /proc/net/{tcp,tcp6,udp,udp6}} with owners
 * from {@code /proc/<pid>/fd} (no command is run); on macOS and other Unix systems {@code lsof -nP -F}; on Windows
 * {@code netstat -ano} with names from {@code tasklist}. A socket whose process this user cannot see (another user's,
 * without privileges) is listed with an unknown owner, never dropped.
 *
 * <p>Bind checks ({@link #isFree}) are core's: one bind attempt per address, no table read. Thread-safe: one instance
 * may be shared by every thread of an application, and should be, since it remembers owners it has found.
 */
public final class SystemProbe implements PortProbe {
    private final SocketTable table;
    /** Whether the unreadable table was logged; a race may log it twice, which is harmless. */
    private volatile boolean warned;

    SystemProbe(SocketTable table) {
        this.table = table;
    }

    /**
     * A probe for this machine's operating system. Cheap: nothing is read until asked.
     *
     * @return a new probe; share it rather than creating one per call
     */
    public static SystemProbe create() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return new SystemProbe(new LinuxSocketTable("/proc", "/etc/passwd"));
        }
        if (os.startsWith("windows")) {
            return new SystemProbe(new NetstatSocketTable(new Commands()));
        }
        return new SystemProbe(new LsofSocketTable(new Commands()));
    }

    /**
     * Whether the port can be bound for the protocol as a consumer would bind it: core's
     * {@link PortProbe#bindOnly()} check on {@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1} and {@code ::1} without
     * {@code SO_REUSEADDR}; an address family the machine lacks counts as absent, not busy. Reads no socket table.
     *
     * @throws IllegalArgumentException if the port is outside 1-65535
     * @throws NullPointerException     if the protocol is null
     */
    @Override
    public boolean isFree(int port, Protocol protocol) {
        return BindCheck.PROBE.isFree(port, protocol);
    }

    /**
     * The sockets bound to ports {@code first..last} for the protocol ({@code BOTH}: either), sorted by port. This is
     * what the manager calls before every claim, so it stays cheap: on Linux one read of {@code /proc/net}, owners
     * remembered from earlier calls checked with one {@code readlink} each, and the descriptors of every process
     * walked only for sockets not seen before. On macOS and Windows it runs {@code lsof} or {@code netstat} (tens of
     * milliseconds) and leaves out the command line and start time. If the table cannot be read, a warning is logged
     * once and the list is empty, so allocation falls back to bind checks instead of failing.
     *
     * @throws IllegalArgumentException if a port is outside 1-65535 or {@code first > last}
     * @throws NullPointerException     if the protocol is null
     */
    @Override
    public List<ListeningSocket> listening(int first, int last, Protocol protocol) {
        checkSpan(first, last, protocol);
        try {
            return table.sockets(first, last, protocol, false);
        } catch (ProbeUnavailableException e) {
            if (!warned) {
                warned = true;
                LoggerFactory.getLogger(SystemProbe.class).warn("{}; allocation falls back to bind checks only",
                        e.getMessage());
            }
            return List.of();
        }
    }

    /**
     * Every listening TCP socket and bound UDP socket on this machine, each with its owner when this user can see it:
     * pid, name, full command line, user and start time. Sorted by port, then TCP before UDP, then address. An IPv6
     * wildcard socket that also accepts IPv4 (dual stack) is listed once, as {@code ::}.
     *
     * @return the sockets; empty if nothing listens
     * @throws ProbeUnavailableException if the socket table cannot be read ({@code /proc} not mounted, {@code lsof}
     *                                   or {@code netstat} missing); the message says what to install or mount
     */
    @Override
    public List<ListeningSocket> listeners() {
        return table.sockets(1, 65535, Protocol.BOTH, true);
    }

    /** True: {@link #listeners()} is the machine's socket table. */
    @Override
    public boolean seesSockets() {
        return true;
    }

    /**
     * The socket bound to a port for the protocol, with its owner when visible: for reports such as
     * {@code port 8767: expected goblin, found python3 (pid 12345)}. When several sockets are bound to the port (IPv4
     * and IPv6, TCP and UDP for {@code BOTH}), the first with a visible owner is returned, TCP before UDP.
     *
     * @return the socket; empty when nothing is bound to the port, and a socket with an empty
     *         {@link ListeningSocket#process()} when something is but its owner cannot be seen
     * @throws IllegalArgumentException  if the port is outside 1-65535
     * @throws NullPointerException      if the protocol is null
     * @throws ProbeUnavailableException if the socket table cannot be read
     */
    public Optional<ListeningSocket> owner(int port, Protocol protocol) {
        Checks.port("port", port);
        Objects.requireNonNull(protocol, "protocol == null");
        List<ListeningSocket> sockets = table.sockets(port, port, protocol, true);
        for (ListeningSocket s : sockets) {
            if (s.process().isPresent()) {
                return Optional.of(s);
            }
        }
        return sockets.isEmpty() ? Optional.empty() : Optional.of(sockets.get(0));
    }

    /** The sockets on a span with every visible owner found now: for {@link ProcessControl}. */
    List<ListeningSocket> thorough(int first, int last, Protocol protocol) {
        return table.sockets(first, last, protocol, true);
    }

    /** How this platform describes processes: for {@link ProcessControl}. */
    ProcessReader processes() {
        return table.processes();
    }

    private static void checkSpan(int first, int last, Protocol protocol) {
        Checks.port("first port", first);
        Checks.port("last port", last);
        if (first > last) {
            throw new IllegalArgumentException("port span " + first + "-" + last + " is empty: the first port is after "
                    + "the last; swap them (" + last + "-" + first + ")");
        }
        Objects.requireNonNull(protocol, "protocol == null");
    }

    /** {@code SystemProbe[Linux /proc/net]}. */
    @Override
    public String toString() {
        return "SystemProbe[" + table + "]";
    }

    /** Core's bind check, created on first use so a probe that only lists sockets never loads it. */
    private static final class BindCheck {
        static final PortProbe PROBE = PortProbe.bindOnly();
    }
}
