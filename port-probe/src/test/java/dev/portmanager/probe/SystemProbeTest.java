package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The system probe on Linux against real sockets: this JVM's and a Python child's. */
@EnabledOnOs(OS.LINUX)
@SuppressWarnings("try") // sockets and children are held open only to be seen by the probe
class SystemProbeTest {
    private final SystemProbe probe = SystemProbe.create();

    static boolean hasIpv6() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where this JVM's sockets bound to 127.0.0.1 show up: the JDK opens IPv6 sockets where the machine has IPv6
     * (unless java.net.preferIPv4Stack is set), so the kernel holds the IPv4-mapped address, as ss also shows.
     */
    static String jvmLoopback() {
        return hasIpv6() && !Boolean.getBoolean("java.net.preferIPv4Stack") ? "::ffff:127.0.0.1" : "127.0.0.1";
    }

    private static String bracketed(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    private static List<ListeningSocket> on(List<ListeningSocket> sockets, int port) {
        List<ListeningSocket> found = new ArrayList<>();
        for (ListeningSocket s : sockets) {
            if (s.port() == port) {
                found.add(s);
            }
        }
        return found;
    }

    private static ListeningSocket only(List<ListeningSocket> sockets, int port) {
        List<ListeningSocket> found = on(sockets, port);
        assertEquals(1, found.size(), "sockets on port " + port + ": " + found);
        return found.get(0);
    }

    @Test
    void create_onLinux_readsProc() {
        assertEquals("SystemProbe[Linux /proc/net]", probe.toString());
    }

    @Test
    void listeners_findAServerSocketOfThisJvm_withPidNameUserStartTimeAndCommandLine() throws IOException {
        int port = FreeSpan.find(1);
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            ListeningSocket found = only(probe.listeners(), port);
            assertEquals("TCP " + jvmLoopback() + ":" + port + " LISTEN", found.protocol() + " " + found.address()
                    + ":" + found.port() + " " + found.state());
            ProcessInfo me = found.process().orElseThrow();
            ProcessHandle self = ProcessHandle.current();
            assertEquals(self.pid(), me.pid());
            assertEquals("java", me.name());
            assertEquals(System.getProperty("user.name"), me.user());
            assertEquals(self.info().startInstant(), me.startedAt());
            String arguments = String.join(" ", self.info().arguments().orElseThrow());
            assertTrue(me.commandLine().endsWith(" " + arguments), me.commandLine());
        }
    }

    @Test
    void listeners_findAPythonChild_withItsPidNameAndExactCommandLine() throws Exception {
        int port = FreeSpan.find(1);
        try (PythonChild child = PythonChild.listen("tcp", "127.0.0.1", Integer.toString(port))) {
            ProcessInfo owner = only(probe.listeners(), port).process().orElseThrow();
            assertEquals(child.pid(), owner.pid());
            assertEquals(child.name(), owner.name());
            assertEquals(child.commandLine(), owner.commandLine());
            assertEquals(child.process().info().startInstant(), owner.startedAt());
            assertEquals(System.getProperty("user.name"), owner.user());
        }
    }

    @Test
    void listeners_findUdpSocketsOfAChildAndOfThisJvm() throws Exception {
        int port = FreeSpan.find(2);
        try (PythonChild child = PythonChild.listen("udp", "127.0.0.1", Integer.toString(port));
             DatagramSocket mine = new DatagramSocket(port + 1, InetAddress.getByName("127.0.0.1"))) {
            List<ListeningSocket> all = probe.listeners();
            ListeningSocket theirs = only(all, port);
            assertEquals("UDP 127.0.0.1:" + port + " UNCONN " + child.name() + " (pid " + child.pid() + ")",
                    theirs.toString());
            ListeningSocket ours = only(all, port + 1);
            assertEquals("UDP " + bracketed(jvmLoopback()) + ":" + (port + 1) + " UNCONN java (pid "
                    + ProcessHandle.current().pid() + ")", ours.toString());
        }
    }

    @Test
    void listeners_reportEachAddressFamilyWithTheAddressItIsBoundTo() throws Exception {
        Assumptions.assumeTrue(hasIpv6(), "this machine has no IPv6 loopback");
        int port = FreeSpan.find(5);
        String p = Integer.toString(port);
        try (PythonChild child = PythonChild.listen("tcp", "::1", p, "tcp", "::", Integer.toString(port + 1),
                "tcp", "::ffff:127.0.0.1", Integer.toString(port + 2), "udp", "::1", Integer.toString(port + 3));
             ServerSocket dualStack = new ServerSocket(port + 4)) {
            List<ListeningSocket> all = probe.listeners();
            String by = " " + child.name() + " (pid " + child.pid() + ")";
            assertEquals("TCP [::1]:" + port + " LISTEN" + by, only(all, port).toString());
            assertEquals("TCP [::]:" + (port + 1) + " LISTEN" + by, only(all, port + 1).toString());
            assertEquals("TCP [::ffff:127.0.0.1]:" + (port + 2) + " LISTEN" + by, only(all, port + 2).toString());
            assertEquals("UDP [::1]:" + (port + 3) + " UNCONN" + by, only(all, port + 3).toString());
            assertEquals("TCP [::]:" + (port + 4) + " LISTEN java (pid " + ProcessHandle.current().pid() + ")",
                    only(all, port + 4).toString(), "a Java server socket on the wildcard is dual stack");
        }
    }

    @Test
    void listeners_agreeWithSs() throws Exception {
        Assumptions.assumeFalse(SsListing.ss().isEmpty(), "ss (iproute2) is not installed");
        int port = FreeSpan.find(2);
        try (PythonChild child = PythonChild.listen("tcp", "0.0.0.0", Integer.toString(port), "udp", "127.0.0.1",
                Integer.toString(port + 1));
             ServerSocket mine = new ServerSocket(port + 1, 50, InetAddress.getByName("127.0.0.1"))) {
            List<String> problems = List.of();
            for (int attempt = 0; attempt < 3 && (attempt == 0 || !problems.isEmpty()); attempt++) {
                Map<String, Set<Long>> before = SsListing.read();
                Map<String, Set<Long>> ours = new TreeMap<>();
                for (ListeningSocket s : probe.listeners()) {
                    Set<Long> owners = ours.computeIfAbsent(s.protocol() + " " + s.address() + ":" + s.port(),
                            k -> new TreeSet<>());
                    s.process().ifPresent(o -> owners.add(o.pid()));
                }
                Map<String, Set<Long>> after = SsListing.read();
                problems = disagreements(before, ours, after);
            }
            assertEquals(List.of(), problems);
            Map<String, Set<Long>> ours = new TreeMap<>();
            for (ListeningSocket s : probe.listeners()) {
                ours.computeIfAbsent(s.protocol() + " " + s.address() + ":" + s.port(), k -> new TreeSet<>())
                        .add(s.process().map(ProcessInfo::pid).orElse(0L));
            }
            assertEquals(Set.of(child.pid()), ours.get("TCP 0.0.0.0:" + port));
            assertEquals(Set.of(child.pid()), ours.get("UDP 127.0.0.1:" + (port + 1)));
            assertEquals(Set.of(ProcessHandle.current().pid()), ours.get("TCP " + jvmLoopback() + ":" + (port + 1)));
        }
    }

    /**
     * Where the probe and ss disagree. Other processes on the machine open and close sockets meanwhile, so ss is read
     * before and after the probe: a socket ss listed both times must be the probe's; a socket of the probe must be one
     * ss listed at least once; an owner the probe names must be among the users ss named; and a socket whose owner the
     * probe could not see must be one ss saw no user of at least once.
     */
    private static List<String> disagreements(Map<String, Set<Long>> before, Map<String, Set<Long>> ours,
                                              Map<String, Set<Long>> after) {
        List<String> problems = new ArrayList<>();
        for (String socket : before.keySet()) {
            if (after.containsKey(socket) && !ours.containsKey(socket)) {
                problems.add("ss listed " + socket + " twice, the probe not");
            }
        }
        for (Map.Entry<String, Set<Long>> e : ours.entrySet()) {
            Set<Long> seen = new TreeSet<>(before.getOrDefault(e.getKey(), Set.of()));
            seen.addAll(after.getOrDefault(e.getKey(), Set.of()));
            if (!before.containsKey(e.getKey()) && !after.containsKey(e.getKey())) {
                problems.add("the probe listed " + e.getKey() + ", ss did not");
            } else if (!seen.containsAll(e.getValue())) {
                problems.add("the probe says " + e.getKey() + " is held by " + e.getValue() + ", ss by " + seen);
            } else if (e.getValue().isEmpty() && !before.getOrDefault(e.getKey(), Set.of()).isEmpty()
                    && !after.getOrDefault(e.getKey(), Set.of()).isEmpty()) {
                problems.add("the probe saw no owner of " + e.getKey() + ", ss saw " + seen);
            }
        }
        return problems;
    }


    @Test
    void listeners_seenByAnotherUser_keepSocketsWhoseOwnerItCannotSee_withAnUnknownOwner() throws Exception {
        OtherUser.assumeAvailable();
        int port = FreeSpan.find(1);
        try (ServerSocket rootOwned = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            String out = OtherUser.runJava("listeners");
            assertTrue(out.contains("TCP " + bracketed(jvmLoopback()) + ":" + port + " LISTEN (owner unknown)\n"), out);
        }
    }

    @Test
    void listening_keepsToTheSpanAndTheProtocol() throws IOException {
        int port = FreeSpan.find(3);
        try (ServerSocket tcp = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
             DatagramSocket udp = new DatagramSocket(port + 1, InetAddress.getByName("127.0.0.1"))) {
            String at = jvmLoopback() + ":";
            assertEquals(List.of("TCP " + at + port), brief(probe.listening(port, port + 2, Protocol.TCP)));
            assertEquals(List.of("UDP " + at + (port + 1)), brief(probe.listening(port, port + 2, Protocol.UDP)));
            assertEquals(List.of("TCP " + at + port, "UDP " + at + (port + 1)),
                    brief(probe.listening(port, port + 2, Protocol.BOTH)));
            assertEquals(List.of(), probe.listening(port + 2, port + 2, Protocol.BOTH));
            assertEquals(ProcessHandle.current().pid(),
                    probe.listening(port, port, Protocol.TCP).get(0).process().orElseThrow().pid());
        }
    }

    private static List<String> brief(List<ListeningSocket> sockets) {
        List<String> out = new ArrayList<>();
        for (ListeningSocket s : sockets) {
            out.add(s.protocol() + " " + s.address() + ":" + s.port());
        }
        return out;
    }

    @Test
    void listening_afterAnotherProcessTookThePort_namesTheNewOwner() throws Exception {
        int port = FreeSpan.find(1);
        String p = Integer.toString(port);
        try (PythonChild first = PythonChild.listen("tcp", "127.0.0.1", p)) {
            assertEquals(first.pid(), probe.listening(port, port, Protocol.TCP).get(0).process().orElseThrow().pid());
        }
        try (PythonChild second = PythonChild.listen("tcp", "127.0.0.1", p)) {
            assertEquals(second.pid(), probe.listening(port, port, Protocol.TCP).get(0).process().orElseThrow().pid());
        }
    }

    @Test
    void owner_ofAPortNothingHolds_isEmpty() {
        int port = FreeSpan.find(1);
        assertEquals(Optional.empty(), probe.owner(port, Protocol.BOTH));
    }

    @Test
    void owner_ofAHeldPort_namesTheProcess_likeTheSeedsConflictReport() throws Exception {
        int port = FreeSpan.find(1);
        try (PythonChild child = PythonChild.listen("tcp", "127.0.0.1", Integer.toString(port))) {
            ProcessInfo found = probe.owner(port, Protocol.TCP).orElseThrow().process().orElseThrow();
            assertEquals("Port " + port + ": Expected 'goblin' but found '" + child.name() + "' (PID " + child.pid()
                    + ")", "Port " + port + ": Expected 'goblin' but found '" + found.name() + "' (PID "
                    + found.pid() + ")");
            assertEquals(Optional.empty(), probe.owner(port, Protocol.UDP));
        }
    }

    @Test
    void isFree_isCoresBindCheck() throws IOException {
        int port = FreeSpan.find(1);
        assertTrue(probe.isFree(port, Protocol.BOTH));
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertFalse(probe.isFree(port, Protocol.TCP));
            assertTrue(probe.isFree(port, Protocol.UDP));
        }
    }

    @Test
    void badArguments_areRefusedWithTheValueAndTheFix() {
        assertEquals("first port 0 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> probe.listening(0, 10, Protocol.TCP)).getMessage());
        assertEquals("last port 65536 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> probe.listening(1, 65536, Protocol.TCP))
                        .getMessage());
        assertEquals("port span 9000-8000 is empty: the first port is after the last; swap them (8000-9000)",
                assertThrows(IllegalArgumentException.class, () -> probe.listening(9000, 8000, Protocol.TCP))
                        .getMessage());
        assertEquals("protocol == null",
                assertThrows(NullPointerException.class, () -> probe.listening(1, 2, null)).getMessage());
        assertEquals("port 70000 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> probe.owner(70000, Protocol.TCP)).getMessage());
        assertEquals("protocol == null",
                assertThrows(NullPointerException.class, () -> probe.owner(80, null)).getMessage());
    }
}
