package dev.portmanager.probe;

import dev.portmanager.Protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /proc/net/{tcp,udp}} and {@code /proc/net/{tcp6,udp6}}. Each TCP table costs the kernel a walk of its
 * connection hash (milliseconds on a large machine, see {@link ProcNetParser}), and the IPv4 and IPv6
 * tables walk it separately, so when TCP is asked the IPv6 half is read on a short-lived helper thread while the
 * caller reads the IPv4 half. Reading a TCP table stops once its listeners have been listed. Thread-safe: every read
 * has its own buffers.
 */
final class NetTables {
    /** About ten rows: reading stops within a few connections of the last listener. */
    private static final int TCP_CHUNK = 2048;
    private static final int UDP_CHUNK = 16384;

    private NetTables() {
    }

    /**
     * The rows on ports {@code first..last} for the protocol, in no particular order.
     *
     * @throws ProbeUnavailableException if none of the tables asked for can be read
     */
    static List<NetEntry> read(String proc, int first, int last, Protocol protocol) {
        Half v4 = new Half(proc, first, last, protocol, "");
        Half v6 = new Half(proc, first, last, protocol, "6");
        if (protocol == Protocol.UDP) {
            v4.run();
            v6.run();
        } else {
            Thread helper = Helpers.start(v6, "port-probe /proc/net reader");
            v4.run();
            Helpers.join(helper);
        }
        for (Half half : List.of(v4, v6)) {
            if (half.failure != null) {
                throw half.failure;
            }
        }
        if (v4.tables + v6.tables == 0) {
            throw new ProbeUnavailableException("cannot read the socket table in " + proc + "/net (tcp, tcp6, udp, "
                    + "udp6): is /proc mounted? Without it only bind checks (isFree) work");
        }
        v4.entries.addAll(v6.entries);
        return v4.entries;
    }

    /** The IPv4 or the IPv6 tables. */
    private static final class Half implements Runnable {
        private final String proc;
        private final int first;
        private final int last;
        private final Protocol protocol;
        private final String suffix;
        final List<NetEntry> entries = new ArrayList<>();
        int tables;
        RuntimeException failure;

        Half(String proc, int first, int last, Protocol protocol, String suffix) {
            this.proc = proc;
            this.first = first;
            this.last = last;
            this.protocol = protocol;
            this.suffix = suffix;
        }

        @Override
        public void run() {
            try {
                ProcFile file = new ProcFile(16384);
                if (protocol != Protocol.UDP && file.read(proc + "/net/tcp" + suffix, TCP_CHUNK,
                        new ProcNetParser(Protocol.TCP, first, last, entries))) {
                    tables++;
                }
                if (protocol != Protocol.TCP && file.read(proc + "/net/udp" + suffix, UDP_CHUNK,
                        new ProcNetParser(Protocol.UDP, first, last, entries))) {
                    tables++;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
