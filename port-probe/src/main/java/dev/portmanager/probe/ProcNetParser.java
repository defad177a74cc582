package dev.portmanager.probe;

import dev.portmanager.Protocol;

import java.nio.ByteOrder;
import java.util.List;

/**
 * Parses Linux {@code /proc/net/tcp}, {@code tcp6}, {@code udp} and {@code udp6} as they are read. Each row is
 * {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}, addresses in
 * hex as the kernel holds them: 32-bit words in the machine's byte order. Keeps listening TCP sockets (state
 * {@code 0A}) and bound, unconnected UDP sockets (state {@code 07}), the sockets {@code ss -l} shows.
 *
 * <p>The kernel lists a TCP table in two passes: the listening hash first, then the established hash (every
 * connection, and on a large machine hundreds of thousands of mostly empty buckets: milliseconds of kernel time). The
 * first row in any other state than LISTEN or SYN_RECV ({@code 03}, listed beside its listener by kernels before 4.4)
 * starts the second pass, so for TCP the parser tells the reader to stop there.
 *
 * <p>The fields up to the state sit at fixed offsets in the kernel's format, so a row is read by jumping to them
 * rather than by walking every byte; a row that does not have the expected shape is read field by field, and one
 * that does not parse at all is skipped, never fatal. No regular expressions or streams: a scan costs little in a cold
 * JVM. One parser per table read; not thread-safe.
 */
final class ProcNetParser implements ProcFile.Enough {
    static final int TCP_LISTEN = 0x0A;
    static final int UDP_UNCONNECTED = 0x07;
    private static final int TCP_SYN_RECV = 0x03;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final Protocol protocol;
    private final int first;
    private final int last;
    private final List<NetEntry> out;
    private final boolean littleEndian;
    private final int wanted;
    /** Where the next unparsed row starts; -1 while the header line has not been passed. */
    private int next = -1;

    /**
     * A parser adding the rows of one table whose port is within {@code first..last} to {@code out}.
     *
     * @param protocol TCP or UDP: which table this is
     */
    ProcNetParser(Protocol protocol, int first, int last, List<NetEntry> out) {
        this(protocol, first, last, out, LITTLE_ENDIAN);
    }

    ProcNetParser(Protocol protocol, int first, int last, List<NetEntry> out, boolean littleEndian) {
        this.protocol = protocol;
        this.first = first;
        this.last = last;
        this.out = out;
        this.littleEndian = littleEndian;
        this.wanted = protocol == Protocol.TCP ? TCP_LISTEN : UDP_UNCONNECTED;
    }

    /** Parses a whole table at once. */
    static void parse(byte[] b, int length, Protocol protocol, int first, int last, List<NetEntry> out,
                      boolean littleEndian) {
        new ProcNetParser(protocol, first, last, out, littleEndian).enough(b, length, true);
    }

    @Override
    public boolean enough(byte[] b, int length, boolean atEnd) {
        if (next < 0) {
            int header = lineEnd(b, 0, length);
            if (header >= length) {
                return false;
            }
            next = header + 1;
        }
        while (next < length) {
            int end = lineEnd(b, next, length);
            if (end >= length && !atEnd) {
                return false;
            }
            int state = row(b, next, end);
            next = end + 1;
            if (protocol == Protocol.TCP && state >= 0 && state != TCP_LISTEN && state != TCP_SYN_RECV) {
                return true;
            }
        }
        return false;
    }

    /** Reads the row {@code b[from..end)}, adding it when wanted; returns its state, or -1 if it does not parse. */
    private int row(byte[] b, int from, int end) {
        int address = skipSpaces(b, skipToken(b, skipSpaces(b, from, end), end), end);
        int digits = address + 8 < end && b[address + 8] == ':' ? 8
                : address + 32 < end && b[address + 32] == ':' ? 32 : -1;
        if (digits < 0) {
            return -1;
        }
        int stateAt = address + 2 * digits + 12;
        if (stateAt + 2 > end || b[address + digits + 5] != ' ' || b[stateAt - 1] != ' ') {
            stateAt = stateByField(b, address + digits, end);
        }
        int state = stateAt < 0 ? -1 : (int) Digits.hex(b, stateAt, stateAt + 2);
        if (state < 0) {
            return -1;
        }
        long port = Digits.hex(b, address + digits + 1, address + digits + 5);
        if (state != wanted || port < first || port > last) {
            return state;
        }
        int q = stateAt;
        for (int i = 0; i < 6; i++) {
            q = skipSpaces(b, skipToken(b, q, end), end);
        }
        long inode = Digits.decimal(b, q, skipToken(b, q, end));
        if (inode < 0) {
            return -1;
        }
        byte[] raw = new byte[digits / 2];
        for (int word = 0; word < raw.length / 4; word++) {
            for (int k = 0; k < 4; k++) {
                int at = address + word * 8 + 2 * (littleEndian ? 3 - k : k);
                raw[word * 4 + k] = (byte) Digits.hex(b, at, at + 2);
            }
        }
        out.add(new NetEntry(protocol, Addresses.format(raw), (int) port,
                protocol == Protocol.TCP ? "LISTEN" : "UNCONN", inode, 0));
        return state;
    }

    /** Where the state of a row not in the kernel's usual spacing starts, found field by field; -1 if nowhere. */
    private static int stateByField(byte[] b, int colon, int end) {
        int q = skipSpaces(b, skipToken(b, colon, end), end);
        q = skipSpaces(b, skipToken(b, q, end), end);
        return q + 2 <= end ? q : -1;
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
