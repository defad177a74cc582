package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Linux table end to end on a made-up /proc holding the recorded /proc/net tables: every socket, its owner found
 * through the descriptor links, and a socket nobody visible holds listed with an unknown owner.
 */
class LinuxSocketTableTest {
    private static final String[] ARGV = {"/usr/bin/python3", "-u", "listen.py", "tcp", "127.0.0.1", "24801"};

    @TempDir
    Path dir;

    private LinuxSocketTable table() throws IOException {
        FakeProc proc = new FakeProc(dir.resolve("proc")).withRecordedNet()
                .process(22052, "python3", 12_345, ARGV, 1000, 55563, 55564, 55565, 55566, 55567, 55568, 55569,
                        55572, 55573, 55574, 55575, 55577)
                .process(22060, "worker (1)", 20_000, new String[] {"worker"}, 4242, 55563);
        Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:"
                + "/bin/bash\n");
        return new LinuxSocketTable(proc.path(), dir.resolve("passwd").toString());
    }


    @Test
    void sockets_listEverySocketSortedByPort_withOwnersFromTheDescriptorLinks() throws IOException {
        String py = " python3 (pid 22052)";
        assertEquals(List.of(
                "TCP 0.0.0.0:2024 LISTEN (owner unknown)",
                "TCP 127.0.0.1:24801 LISTEN" + py,
                "TCP 0.0.0.0:24802 LISTEN" + py,
                "TCP [::1]:24803 LISTEN" + py,
                "TCP [::]:24804 LISTEN" + py,
                "TCP [::]:24805 LISTEN" + py,
                "TCP [::ffff:127.0.0.1]:24806 LISTEN" + py,
                "TCP 127.0.0.1:24807 LISTEN" + py,
                "UDP 127.0.0.1:24811 UNCONN" + py,
                "UDP 0.0.0.0:24812 UNCONN" + py,
                "UDP [::1]:24813 UNCONN" + py,
                "UDP [::]:24814 UNCONN" + py,
                "UDP [::ffff:127.0.0.2]:24816 UNCONN" + py), Listings.lines(table().sockets(1, 65535, Protocol.BOTH, true)));
    }

    @Test
    void sockets_describeTheOwner_nameCommandLineUserAndStartTime() throws IOException {
        ProcessInfo owner = table().sockets(24801, 24801, Protocol.TCP, true).get(0).process().orElseThrow();
        Instant started = Instant.ofEpochMilli(FakeProc.BOOT_SECONDS * 1000 + 12_345 * 10);
        assertEquals(new ProcessInfo(22052, "python3", "/usr/bin/python3 -u listen.py tcp 127.0.0.1 24801", "alice",
                Optional.of(started)), owner);
    }

    @Test
    void sockets_ofAProcessWithParenthesesInItsName_andAUserMissingFromPasswd() throws IOException {
        table();
        LinuxProcesses processes = new LinuxProcesses(dir.resolve("proc").toString(), dir.resolve("passwd").toString());
        ProcessInfo worker = processes.describe(22060).orElseThrow();
        assertEquals("worker (1)", worker.name());
        assertEquals("4242", worker.user());
        assertEquals("worker", worker.commandLine());
    }

    @Test
    void sockets_spanAndProtocol_filterTheTables() throws IOException {
        LinuxSocketTable table = table();
        assertEquals(List.of("UDP 0.0.0.0:24812 UNCONN python3 (pid 22052)", "UDP [::1]:24813 UNCONN python3 (pid 22052)"),
                Listings.lines(table.sockets(24803, 24813, Protocol.UDP, false).subList(1, 3)));
        assertEquals(List.of("TCP [::1]:24803 LISTEN python3 (pid 22052)"),
                Listings.lines(table.sockets(24803, 24803, Protocol.BOTH, false)));
        assertEquals(List.of(), table.sockets(30000, 30100, Protocol.BOTH, false));
    }

    @Test
    void sockets_withoutAnyTable_failWithWhatToDo() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        LinuxSocketTable empty = new LinuxSocketTable(dir.resolve("empty").toString(), "/etc/passwd");
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
                () -> empty.sockets(1, 65535, Protocol.BOTH, true));
        assertEquals("cannot read the socket table in " + dir.resolve("empty") + "/net (tcp, tcp6, udp, udp6): is /proc "
                + "mounted? Without it only bind checks (isFree) work", e.getMessage());
    }

    @Test
    void listening_ofAProbeWhoseTableCannotBeRead_isEmpty_whileListenersFail() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        SystemProbe probe = new SystemProbe(new LinuxSocketTable(dir.resolve("empty").toString(), "/etc/passwd"));
        assertEquals(List.of(), probe.listening(8080, 8099, Protocol.TCP));
        assertEquals(List.of(), probe.listening(8080, 8099, Protocol.TCP));
        assertThrows(ProbeUnavailableException.class, probe::listeners);
    }
}
