package dev.portmanager.spi;

import dev.portmanager.Checks;
import dev.portmanager.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * The probe core ships: a port is free when it can be bound on {@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1} and
 * {@code ::1} for the protocol, with {@code SO_REUSEADDR} off (the JDK turns it on for server sockets on Unix, which
 * would hide a port in TIME_WAIT or bound-but-not-listening). An address family the machine lacks counts as absent, not
 * busy. It sees no socket table, so {@link #listening} is empty. Thread-safe and stateless.
 */
final class BindProbe implements PortProbe {
    private static final Logger LOG = LoggerFactory.getLogger(BindProbe.class);

    /** The addresses every bind is tried on, made at the first probe rather than at start-up (issue 20). */
    private static final class Addresses {
        static final InetAddress[] ALL = addresses();
    }

    /** Outcome of one bind attempt. */
    enum Bind { FREE, BUSY, ABSENT }

    @Override
    public boolean isFree(int port, Protocol protocol) {
        Checks.port("port", port);
        Objects.requireNonNull(protocol, "protocol == null");
        switch (protocol) {
            case TCP:
                return allFree(port, false);
            case UDP:
                return allFree(port, true);
            default:
                return allFree(port, false) && allFree(port, true);
        }
    }

    private static boolean allFree(int port, boolean udp) {
        boolean boundSomewhere = false;
        for (InetAddress address : Addresses.ALL) {
            Bind result = udp ? bindUdp(address, port) : bindTcp(address, port);
            if (result == Bind.BUSY) {
                return false;
            }
            boundSomewhere |= result == Bind.FREE;
        }
        return boundSomewhere;
    }

    static Bind bindTcp(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(address, port), 1);
            return Bind.FREE;
        } catch (IOException e) {
            return classify(e, address, port);
        }
    }

    static Bind bindUdp(InetAddress address, int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(address, port));
            return Bind.FREE;
        } catch (IOException e) {
            return classify(e, address, port);
        }
    }

    /** In use or not permitted: busy. Address or family not available here: absent. Anything else: busy, to be safe. */
    static Bind classify(IOException e, InetAddress address, int port) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("in use") || message.contains("permission denied") || message.contains("access denied")
                || message.contains("access is denied")) {
            return Bind.BUSY;
        }
        if (message.contains("cannot assign") || message.contains("family") || message.contains("not supported")
                || message.contains("unavailable") || message.contains("not available")) {
            return Bind.ABSENT;
        }
        if (!(e instanceof BindException) && e instanceof SocketException && address.getAddress().length == 16) {
            return Bind.ABSENT;
        }
        LOG.debug("bind of {} port {} failed in an unexpected way, counting it busy: {}", address, port, e.toString());
        return Bind.BUSY;
    }

    private static InetAddress[] addresses() {
        try {
            return new InetAddress[] {
                InetAddress.getByAddress("0.0.0.0", new byte[4]),
                InetAddress.getByAddress("::", new byte[16]),
                InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}),
                InetAddress.getByAddress("::1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
            };
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "BindProbe";
    }
}
