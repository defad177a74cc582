package dev.portmanager.probe;

import dev.portmanager.Protocol;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The /proc/net parser on tables recorded from a real kernel (see recorded/README.md). */
class ProcNetParserTest {
    private static List<String> parse(String table, Protocol protocol, int first, int last) {
        byte[] b = Recorded.bytes("linux/proc-net-" + table + ".txt");
        List<NetEntry> out = new ArrayList<>();
        ProcNetParser.parse(b, b.length, protocol, first, last, out, true);
        List<String> rows = new ArrayList<>();
        for (NetEntry e : out) {
            rows.add(e.protocol + " " + e.address + " " + e.port + " " + e.state + " " + e.inode);
        }
        return rows;
    }

    @Test
    void parse_tcp_keepsListenersOnly_withDecodedAddressPortAndInode() {
        assertEquals(List.of(
                "TCP 127.0.0.1 24807 LISTEN 55569",
                "TCP 127.0.0.1 24801 LISTEN 55563",
                "TCP 0.0.0.0 24802 LISTEN 55564",
                "TCP 0.0.0.0 2024 LISTEN 1606"), parse("tcp", Protocol.TCP, 1, 65535));
    }

    @Test
    void parse_tcp6_decodesLoopbackWildcardAndMappedAddresses() {
        assertEquals(List.of(
                "TCP ::ffff:127.0.0.1 24806 LISTEN 55568",
                "TCP ::1 24803 LISTEN 55565",
                "TCP :: 24804 LISTEN 55566",
                "TCP :: 24805 LISTEN 55567"), parse("tcp6", Protocol.TCP, 1, 65535));
    }

    @Test
    void parse_udp_keepsUnconnectedSockets_notConnectedOnes() {
        assertEquals(List.of(
                "UDP 127.0.0.1 24811 UNCONN 55572",
                "UDP 0.0.0.0 24812 UNCONN 55573"), parse("udp", Protocol.UDP, 1, 65535));
    }

    @Test
    void parse_udp6_decodesEveryFamily() {
        assertEquals(List.of(
                "UDP ::1 24813 UNCONN 55574",
                "UDP :: 24814 UNCONN 55575",
                "UDP ::ffff:127.0.0.2 24816 UNCONN 55577"), parse("udp6", Protocol.UDP, 1, 65535));
    }

    @Test
    void parse_span_keepsOnlyPortsWithinIt() {
        assertEquals(List.of("TCP 127.0.0.1 24801 LISTEN 55563", "TCP 0.0.0.0 24802 LISTEN 55564"),
                parse("tcp", Protocol.TCP, 24801, 24802));
        assertEquals(List.of(), parse("tcp", Protocol.TCP, 30000, 30010));
    }

    @Test
    void parse_bigEndianMachine_readsWordsInOrder() {
        String table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
                + "inode\n   0: 7F000001:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 4242 "
                + "1 0000000000000000 100 0 0 10 0\n";
        byte[] b = table.getBytes(StandardCharsets.US_ASCII);
        List<NetEntry> out = new ArrayList<>();
        ProcNetParser.parse(b, b.length, Protocol.TCP, 1, 65535, out, false);
        assertEquals("TCP 127.0.0.1:8080 LISTEN inode 4242 pid 0", out.get(0).toString());
    }

    @Test
    void parse_linkLocalIpv6_isDecoded() {
        String table = "  sl  local_address                         remote_address                        st "
                + "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 000080FE00000000FF00FC00010000FE:2213 00000000000000000000000000000000:0000 0A "
                + "00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0\n";
        byte[] b = table.getBytes(StandardCharsets.US_ASCII);
        List<NetEntry> out = new ArrayList<>();
        ProcNetParser.parse(b, b.length, Protocol.TCP, 1, 65535, out, true);
        assertEquals("TCP fe80::fc:ff:fe00:1:8723 LISTEN inode 777 pid 0", out.get(0).toString());
    }

    @Test
    void parse_malformedOrCutRows_areSkipped() {
        String table = "header\n   0: 0100007F:1F90\n   1: garbage\n\n   2: 0100007F:1F91 00000000:0000 0A 0:0 0:0 0 0 "
                + "0 notanumber\n   3: 0100007F:1F92 00000000:0000 0A 0:0 0:0 0 0 0 99";
        byte[] b = table.getBytes(StandardCharsets.US_ASCII);
        List<NetEntry> out = new ArrayList<>();
        ProcNetParser.parse(b, b.length, Protocol.TCP, 1, 65535, out, true);
        assertEquals(1, out.size());
        assertEquals("TCP 127.0.0.1:8082 LISTEN inode 99 pid 0", out.get(0).toString());
    }

    @Test
    void parser_fedInSmallChunks_findsWhatItFindsAtOnce() {
        byte[] b = Recorded.bytes("linux/proc-net-udp6.txt");
        List<NetEntry> out = new ArrayList<>();
        ProcNetParser parser = new ProcNetParser(Protocol.UDP, 1, 65535, out, true);
        for (int length = 7; length < b.length; length += 7) {
            parser.enough(b, length, false);
        }
        parser.enough(b, b.length, true);
        List<String> rows = new ArrayList<>();
        for (NetEntry e : out) {
            rows.add(e.protocol + " " + e.address + " " + e.port + " " + e.state + " " + e.inode);
        }
        assertEquals(parse("udp6", Protocol.UDP, 1, 65535), rows);
    }

    @Test
    void tcpParser_saysEnoughAtTheFirstConnection_sinceTheKernelListsListenersFirst() {
        String table = "header\n"
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 11 1\n"
                + "   1: 0100007F:1F91 0100007F:D054 01 00000000:00000000 00:00000000 00000000 0 0 12 1\n"
                + "   2: 0100007F:1F92 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 13 1\n";
        byte[] b = table.getBytes(StandardCharsets.US_ASCII);
        List<NetEntry> out = new ArrayList<>();
        assertEquals(true, new ProcNetParser(Protocol.TCP, 1, 65535, out, true).enough(b, b.length, false));
        assertEquals(1, out.size(), "nothing after the first connection is read: " + out);
        List<NetEntry> udp = new ArrayList<>();
        assertEquals(false, new ProcNetParser(Protocol.UDP, 1, 65535, udp, true).enough(b, b.length, true));
    }

    @Test
    void parse_rowWithUnusualSpacing_isReadFieldByField() {
        String table = "header\n   0: 0100007F:1F90  00000000:0000  0A 00000000:00000000 00:00000000 00000000 "
                + "0 0 4243 1\n";
        byte[] b = table.getBytes(StandardCharsets.US_ASCII);
        List<NetEntry> out = new ArrayList<>();
        ProcNetParser.parse(b, b.length, Protocol.TCP, 1, 65535, out, true);
        assertEquals("TCP 127.0.0.1:8080 LISTEN inode 4243 pid 0", out.get(0).toString());
    }
}
