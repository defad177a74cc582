package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code lsof -F} field output (macOS, BSD): one field per line, its kind in the first character. {@code p}
 * starts a process ({@code c} name, {@code u} uid, {@code L} login), {@code f} starts one of its files ({@code t}
 * IPv4/IPv6, {@code P} TCP/UDP, {@code n} address, {@code T} TCP info such as {@code ST=LISTEN}). Keeps listening TCP
 * sockets and unconnected UDP sockets; a socket that several processes or descriptors share (a forking server) is
 * listed once, with the first process. Stateless and thread-safe.
 */
final class LsofParser {
    private LsofParser() {
    }

    /**
     * Adds the sockets on ports {@code first..last} for the protocol to {@code sockets}, and their processes, with
     * name and user, to {@code processes}.
     */
    static void parse(String output, int first, int last, Protocol protocol, List<NetEntry> sockets,
                      Map<Long, ProcessInfo> processes) {
        Map<String, NetEntry> seen = new LinkedHashMap<>();
        Fields f = new Fields();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            char kind = line.charAt(0);
            if (kind == 'p' || kind == 'f') {
                f.flush(first, last, protocol, seen);
            }
            f.take(kind, line.substring(1).replace("\r", ""), processes);
        }
        f.flush(first, last, protocol, seen);
        sockets.addAll(seen.values());
    }

    /** The fields of the process and the file being read. */
    private static final class Fields {
        long pid;
        String name = "";
        String user = "";
        String type;
        String transport;
        String address;
        String state;

        void take(char kind, String value, Map<Long, ProcessInfo> processes) {
            switch (kind) {
                case 'p':
                    pid = Digits.decimal(value, 0, value.length());
                    name = "";
                    user = "";
                    break;
                case 'c':
                    name = value;
                    break;
                case 'u':
                    user = user.isEmpty() ? value : user;
                    break;
                case 'L':
                    user = value;
                    break;
                case 't':
                    type = value;
                    break;
                case 'P':
                    transport = value;
                    break;
                case 'n':
                    address = value;
                    break;
                case 'T':
                    if (value.startsWith("ST=")) {
                        state = value.substring(3);
                    }
                    break;
                default:
                    break;
            }
            if (pid > 0 && (kind == 'c' || kind == 'u' || kind == 'L')) {
                processes.put(pid, new ProcessInfo(pid, name, "", user, Optional.empty()));
            }
        }

        void flush(int first, int last, Protocol wanted, Map<String, NetEntry> seen) {
            NetEntry entry = entry();
            type = null;
            transport = null;
            address = null;
            state = null;
            if (entry != null && entry.port >= first && entry.port <= last
                    && (wanted == Protocol.BOTH || wanted == entry.protocol)) {
                seen.putIfAbsent(entry.protocol + " " + entry.address + " " + entry.port, entry);
            }
        }

        private NetEntry entry() {
            if (pid <= 0 || address == null || transport == null || address.contains("->")) {
                return null;
            }
            Protocol protocol;
            if (transport.equals("TCP") && "LISTEN".equals(state)) {
                protocol = Protocol.TCP;
            } else if (transport.equals("UDP")) {
                protocol = Protocol.UDP;
            } else {
                return null;
            }
            int colon = address.lastIndexOf(':');
            long port = colon < 0 ? -1 : Digits.decimal(address, colon + 1, address.length());
            if (port < 1 || port > 65535) {
                return null;
            }
            String host = address.substring(0, colon);
            if (host.equals("*")) {
                host = "IPv6".equals(type) ? "::" : "0.0.0.0";
            } else if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new NetEntry(protocol, host, (int) port, protocol == Protocol.TCP ? "LISTEN" : "UNCONN", 0, pid);
        }
    }
}
