package dev.portmanager.probe;

import dev.portmanager.Protocol;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Windows netstat -ano parser on recorded output (see recorded/README.md). */
class NetstatParserTest {
    private static List<String> parse(String output, int first, int last, Protocol protocol) {
        List<NetEntry> out = new ArrayList<>();
        NetstatParser.parse(output, first, last, protocol, out);
        List<String> rows = new ArrayList<>();
        for (NetEntry e : out) {
            rows.add(e.protocol + " " + e.address + " " + e.port + " " + e.state + " pid " + e.pid);
        }
        return rows;
    }

    @Test
    void parse_english_keepsListeningTcpAndBoundUdp_withPids() {
        assertEquals(List.of(
                "TCP 0.0.0.0 135 LISTEN pid 1032",
                "TCP 0.0.0.0 445 LISTEN pid 4",
                "TCP 0.0.0.0 5040 LISTEN pid 6544",
                "TCP 127.0.0.1 8767 LISTEN pid 12345",
                "TCP 192.168.1.20 139 LISTEN pid 4",
                "TCP :: 135 LISTEN pid 1032",
                "TCP :: 445 LISTEN pid 4",
                "TCP ::1 5432 LISTEN pid 5480",
                "UDP 0.0.0.0 5353 UNCONN pid 2260",
                "UDP 127.0.0.1 1900 UNCONN pid 3932",
                "UDP :: 5353 UNCONN pid 2260",
                "UDP fe80::1c2d:3e4f:5a6b:7c8d%12 1900 UNCONN pid 3932"),
                parse(Recorded.text("windows/netstat-ano.txt"), 1, 65535, Protocol.BOTH));
    }

    @Test
    void parse_german_findsListenersWithoutReadingTheTranslatedState() {
        assertEquals(List.of(
                "TCP 0.0.0.0 135 LISTEN pid 1032",
                "TCP 127.0.0.1 8767 LISTEN pid 12345",
                "TCP :: 135 LISTEN pid 1032",
                "UDP 0.0.0.0 5353 UNCONN pid 2260"),
                parse(Recorded.text("windows/netstat-ano-de.txt", StandardCharsets.ISO_8859_1), 1, 65535,
                        Protocol.BOTH));
    }

    @Test
    void parse_protocolAndSpan_filter() {
        String output = Recorded.text("windows/netstat-ano.txt");
        assertEquals(List.of("TCP 127.0.0.1 8767 LISTEN pid 12345"), parse(output, 8767, 8767, Protocol.BOTH));
        assertEquals(List.of("UDP 0.0.0.0 5353 UNCONN pid 2260", "UDP :: 5353 UNCONN pid 2260"),
                parse(output, 5000, 6000, Protocol.UDP));
    }

    @Test
    void parse_boundButNotListening_isLeftOut() {
        assertEquals(List.of(), parse("  TCP    0.0.0.0:5000           0.0.0.0:0              BOUND           812\r\n",
                1, 65535, Protocol.BOTH));
    }
}
