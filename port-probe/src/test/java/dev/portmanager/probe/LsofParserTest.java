package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lsof -F parser on recorded output (see recorded/README.md). */
class LsofParserTest {
    private final Map<Long, ProcessInfo> processes = new HashMap<>();

    private List<String> parse(String file, int first, int last, Protocol protocol) {
        List<NetEntry> out = new ArrayList<>();
        LsofParser.parse(Recorded.text("lsof/" + file), first, last, protocol, out, processes);
        List<String> rows = new ArrayList<>();
        for (NetEntry e : out) {
            rows.add(e.protocol + " " + e.address + " " + e.port + " " + e.state + " pid " + e.pid);
        }
        return rows;
    }

    @Test
    void parse_linuxRecording_keepsListenersAndUnconnectedUdp_withTheirAddresses() {
        assertEquals(List.of(
                "TCP 127.0.0.1 24801 LISTEN pid 22052",
                "TCP 0.0.0.0 24802 LISTEN pid 22052",
                "TCP ::1 24803 LISTEN pid 22052",
                "TCP :: 24804 LISTEN pid 22052",
                "TCP :: 24805 LISTEN pid 22052",
                "TCP 127.0.0.1 24806 LISTEN pid 22052",
                "TCP 127.0.0.1 24807 LISTEN pid 22052",
                "UDP 127.0.0.1 24811 UNCONN pid 22052",
                "UDP 0.0.0.0 24812 UNCONN pid 22052",
                "UDP ::1 24813 UNCONN pid 22052",
                "UDP :: 24814 UNCONN pid 22052",
                "UDP 127.0.0.2 24816 UNCONN pid 22052"), parse("linux-python-sockets.txt", 1, 65535, Protocol.BOTH));
        assertEquals("python3 (pid 22052)", processes.get(22052L).toString());
        assertEquals("root", processes.get(22052L).user());
    }

    @Test
    void parse_macosListing_namesEachProcessAndUser_andListsASharedSocketOnce() {
        assertEquals(List.of(
                "UDP 0.0.0.0 5353 UNCONN pid 371",
                "UDP :: 5353 UNCONN pid 371",
                "TCP 0.0.0.0 7000 LISTEN pid 612",
                "TCP :: 7000 LISTEN pid 612",
                "TCP 0.0.0.0 5000 LISTEN pid 612",
                "TCP :: 5000 LISTEN pid 612",
                "TCP ::1 5432 LISTEN pid 1204",
                "TCP 127.0.0.1 5432 LISTEN pid 1204",
                "TCP 127.0.0.1 3000 LISTEN pid 1310",
                "TCP 127.0.0.1 8765 LISTEN pid 2208"), parse("macos-listeners.txt", 1, 65535, Protocol.BOTH));
        assertEquals("_mdnsresponder", processes.get(371L).user());
        assertEquals("ControlCenter (pid 612)", processes.get(612L).toString());
        assertEquals("alice", processes.get(1311L).user());
    }

    @Test
    void parse_protocolAndSpan_filter() {
        assertEquals(List.of("UDP 0.0.0.0 5353 UNCONN pid 371", "UDP :: 5353 UNCONN pid 371"),
                parse("macos-listeners.txt", 1, 65535, Protocol.UDP));
        assertEquals(List.of("TCP 127.0.0.1 3000 LISTEN pid 1310"),
                parse("macos-listeners.txt", 3000, 3000, Protocol.TCP));
        assertEquals(List.of(), parse("macos-listeners.txt", 3001, 4999, Protocol.BOTH));
    }

    @Test
    void parse_emptyOrUnexpectedOutput_findsNothing() {
        List<NetEntry> out = new ArrayList<>();
        LsofParser.parse("", 1, 65535, Protocol.BOTH, out, processes);
        LsofParser.parse("pnotanumber\nf3\nPTCP\nn*:80\nTST=LISTEN\nx\n\n", 1, 65535, Protocol.BOTH, out, processes);
        LsofParser.parse("p12\nf3\nPTCP\nn*:http\nTST=LISTEN\n", 1, 65535, Protocol.BOTH, out, processes);
        assertEquals(List.of(), out);
    }
}
