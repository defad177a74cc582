package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The macOS (lsof) and Windows (netstat, tasklist) tables on any platform: the commands they run, replayed from
 * recordings, and the command runner against real commands.
 */
class CommandTablesTest {
    /** Replays recorded output by command name and records what was asked. */
    private static final class Replay extends Commands {
        final Map<String, String> outputs;
        final List<List<String>> asked = new ArrayList<>();

        Replay(Map<String, String> outputs) {
            this.outputs = outputs;
        }

        @Override
        String run(List<String> command, Charset charset, List<Integer> okExits, String hint) {
            asked.add(command);
            String name = command.get(0);
            return outputs.get(name.substring(name.lastIndexOf('/') + 1));
        }
    }


    @Test
    void lsofTable_onTheHotPath_runsLsofOnce_andNamesOwnersAsLsofDoes() {
        Replay replay = new Replay(Map.of("lsof", Recorded.text("lsof/macos-listeners.txt")));
        List<ListeningSocket> sockets = new LsofSocketTable(replay).sockets(3000, 5432, Protocol.TCP, false);
        assertEquals(List.of("TCP 127.0.0.1:3000 LISTEN node (pid 1310)", "TCP 0.0.0.0:5000 LISTEN ControlCenter (pid 612)",
                "TCP [::]:5000 LISTEN ControlCenter (pid 612)", "TCP 127.0.0.1:5432 LISTEN postgres (pid 1204)",
                "TCP [::1]:5432 LISTEN postgres (pid 1204)"), Listings.lines(sockets));
        assertEquals(new ProcessInfo(1204, "postgres", "", "alice", java.util.Optional.empty()),
                sockets.get(3).process().orElseThrow());
        assertEquals(1, replay.asked.size());
        assertEquals(List.of("-nP", "+c0", "-Ts", "-FpcuLftPnT", "-iTCP:3000-5432", "-sTCP:LISTEN"),
                replay.asked.get(0).subList(1, replay.asked.get(0).size()));
    }

    @Test
    void lsofCommand_asksOnlyForTheSpanAndProtocol() {
        assertEquals(List.of("-nP", "+c0", "-Ts", "-FpcuLftPnT", "-iTCP", "-iUDP"),
                LsofSocketTable.command(1, 65535, Protocol.BOTH).subList(1, 7));
        assertEquals(List.of("-nP", "+c0", "-Ts", "-FpcuLftPnT", "-iUDP:5353"),
                LsofSocketTable.command(5353, 5353, Protocol.UDP).subList(1, 6));
    }

    @Test
    void netstatTable_onTheHotPath_runsNetstatOnly_andNamesOwnersByPid() {
        Replay replay = new Replay(Map.of("netstat", Recorded.text("windows/netstat-ano.txt")));
        List<ListeningSocket> sockets = new NetstatSocketTable(replay).sockets(8767, 8767, Protocol.BOTH, false);
        assertEquals(List.of("TCP 127.0.0.1:8767 LISTEN pid 12345"), Listings.lines(sockets));
        assertEquals(List.of(List.of("netstat", "-ano")), replay.asked);
    }

    @Test
    void netstatTable_thorough_addsImageNamesFromTasklist() {
        Replay replay = new Replay(Map.of("netstat", Recorded.text("windows/netstat-ano.txt"),
                "tasklist", Recorded.text("windows/tasklist.csv")));
        List<ListeningSocket> sockets = new NetstatSocketTable(replay).sockets(135, 445, Protocol.TCP, true);
        List<String> owners = new ArrayList<>();
        for (ListeningSocket s : sockets) {
            owners.add(s.port() + " " + s.process().orElseThrow().name() + " " + s.process().orElseThrow().pid());
        }
        assertEquals(List.of("135 svchost.exe 1032", "135 svchost.exe 1032", "139 System 4", "445 System 4",
                "445 System 4"), owners);
        assertEquals(List.of(List.of("netstat", "-ano"), List.of("tasklist", "/FO", "CSV", "/NH")), replay.asked);
    }

    @Test
    void handleProcesses_completeAListedProcess_withTheJdksCommandLineAndStartTime() {
        ProcessHandle self = ProcessHandle.current();
        ProcessInfo listed = new ProcessInfo(self.pid(), "java", "", "someone", java.util.Optional.empty());
        ProcessInfo complete = new HandleProcesses().complete(listed);
        assertEquals("java", complete.name());
        assertEquals("someone", complete.user(), "what the table said is kept");
        assertEquals(self.info().startInstant(), complete.startedAt());
        assertEquals(self.info().commandLine().orElse(""), complete.commandLine());
        assertEquals("python.exe", HandleProcesses.baseName("C:\\Python\\python.exe"));
        assertEquals("python3", HandleProcesses.baseName("/usr/bin/python3"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void commands_runARealCommand_andReturnItsOutput() {
        assertEquals("hello\n", new Commands().run(List.of("echo", "hello"), StandardCharsets.UTF_8, List.of(0),
                "install echo"));
    }

    @Test
    void commands_thatCannotStart_sayWhatToInstall() {
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class, () -> new Commands().run(
                List.of("no-such-command-4242"), StandardCharsets.UTF_8, List.of(0), "install it"));
        assertTrue(e.getMessage().startsWith("cannot run no-such-command-4242 to read the socket table ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("); install it"), e.getMessage());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void commands_thatFail_sayTheExitCode() {
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class, () -> new Commands().run(
                List.of("sh", "-c", "exit 3"), StandardCharsets.UTF_8, List.of(0, 1), "check it"));
        assertEquals("sh -c exit 3 exited with code 3; check it", e.getMessage());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void commands_thatHang_areKilledAfterTheTimeLimit() {
        long start = System.nanoTime();
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class, () -> new Commands(300).run(
                List.of("sleep", "30"), StandardCharsets.UTF_8, List.of(0), "check it"));
        assertEquals("sleep did not finish within 300 ms and was killed; check it", e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "it was killed, not waited for");
    }
}
