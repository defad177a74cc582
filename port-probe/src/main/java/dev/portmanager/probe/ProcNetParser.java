package dev.portmanager.probe;

import dev.portmanager.Protocol;

import java.nio.ByteOrder;
import java.util.List;

/**
 * Parses Linux {@code /proc/net/tcp}, {@code tcp6}, {@code udp} and {@code udp6}. Each row is
 * {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}, addresses in
 * hex as the kernel holds them: 32-bit words in the machine's byte order. Keeps listening TCP sockets (state
 * {@code 0A}) and bound, unconnected UDP sockets (state {@code 07}), the sockets {@code ss -l} shows. A row that
 * does not parse is skipped, never fatal. Works on bytes, without regular expressions or streams, so a scan costs
 * little in a cold JVM. Stateless and thread-safe.
 */
final class ProcNetParser {
    static final int TCP_LISTEN = 0x0A;
    static final int UDP_UNCONNECTED = 0x07;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private ProcNetParser() {
    }

    /**
     * Adds the rows of one table whose port is within {@code first..last} to {@code out}.
     *
     * @param protocol TCP or UDP: which table this is
     */
    static void parse(byte[] b, int length, Protocol protocol, int first, int last, List<NetEntry> out) {
        parse(b, length, protocol, first, last, out, LITTLE_ENDIAN);
    }

    static void parse(byte[] b, int length, Protocol protocol, int first, int last, List<NetEntry> out,
                      boolean littleEndian) {
        int wanted = protocol == Protocol.TCP ? TCP_LISTEN : UDP_UNCONNECTED;
        int line = nextLine(b, 0, length);
        while (line < length) {
            int end = lineEnd(b, line, length);
            NetEntry e = row(b, line, end, protocol, wanted, first, last, littleEndian);
            if (e != null) {
                out.add(e);
            }
            line = end + 1;
        }
    }

    private static NetEntry row(byte[] b, int from, int end, Protocol protocol, int wanted, int first, int last,
                                boolean littleEndian) {
        int p = skipToken(b, skipSpaces(b, from, end), end);
        p = skipSpaces(b, p, end);
        int colon = p;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int hexDigits = colon - p;
        if (colon >= end || (hexDigits != 8 && hexDigits != 32)) {
            return null;
        }
        long port = Digits.hex(b, colon + 1, colon + 5);
        if (port < first || port > last) {
            return null;
        }
        int q = skipSpaces(b, skipToken(b, colon, end), end);
        q = skipSpaces(b, skipToken(b, q, end), end);
        long state = Digits.hex(b, q, q + 2);
        if (state != wanted) {
            return null;
        }
        for (int i = 0; i < 6; i++) {
            q = skipSpaces(b, skipToken(b, q, end), end);
        }
        long inode = Digits.decimal(b, q, skipToken(b, q, end));
        if (inode < 0) {
            return null;
        }
        byte[] address = new byte[hexDigits / 2];
        for (int word = 0; word < address.length / 4; word++) {
            for (int k = 0; k < 4; k++) {
                int at = p + word * 8 + 2 * (littleEndian ? 3 - k : k);
                address[word * 4 + k] = (byte) Digits.hex(b, at, at + 2);
            }
        }
        return new NetEntry(protocol, Addresses.format(address), (int) port,
                protocol == Protocol.TCP ? "LISTEN" : "UNCONN", inode, 0);
    }

    /**
     * Decides when a TCP table has shown all its listening sockets. The kernel lists a TCP table in two passes: the
     * listening hash first, then the established hash (every connection, and on a large machine hundreds of thousands
     * of mostly empty buckets: milliseconds of kernel time). The first row in any other state than LISTEN ({@code 0A})
     * or SYN_RECV ({@code 03}, listed beside its listener by kernels before 4.4) starts the second pass, so reading
     * can stop there. One per read: it remembers how far it has looked. Not thread-safe.
     */
    static final class ListenersEnd implements ProcFile.Enough {
        private int checked = -1;

        @Override
        public boolean enough(byte[] b, int length) {
            if (checked < 0) {
                checked = lineEnd(b, 0, length);
                if (checked >= length) {
                    checked = -1;
                    return false;
                }
                checked++;
            }
            while (true) {
                int end = lineEnd(b, checked, length);
                if (end >= length) {
                    return false;
                }
                long state = stateOf(b, checked, end);
                if (state >= 0 && state != TCP_LISTEN && state != 0x03) {
                    return true;
                }
                checked = end + 1;
            }
        }
    }

    /** The state of the row {@code b[from..end)}, or -1 if it does not parse. */
    private static long stateOf(byte[] b, int from, int end) {
        int p = skipSpaces(b, skipToken(b, skipSpaces(b, from, end), end), end);
        p = skipSpaces(b, skipToken(b, p, end), end);
        p = skipSpaces(b, skipToken(b, p, end), end);
        return p + 2 <= end ? Digits.hex(b, p, p + 2) : -1;
    }

    private static int nextLine(byte[] b, int from, int length) {
        return lineEnd(b, from, length) + 1;
    }

    private static int lineEnd(byte[] b, int from, int length) {
        int i = from;
        while (i < length && b[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(byte[] b, int i, int end) {
        while (i < end && b[i] == ' ') {
            i++;
        }
        return i;
    }

    private static int skipToken(byte[] b, int i, int end) {
        while (i < end && b[i] != ' ') {
            i++;
        }
        return i;
    }
}
