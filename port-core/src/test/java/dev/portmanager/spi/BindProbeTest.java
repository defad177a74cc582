package dev.portmanager.spi;

import dev.portmanager.Protocol;
import dev.portmanager.testing.FreeSpan;
import dev.portmanager.testing.ProbeMain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bind-only probe against real sockets. */
class BindProbeTest {
    private final BindProbe probe = new BindProbe();

    private static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void isFree_onAPortNobodyHolds_isTrueForEveryProtocol() {
        int port = FreeSpan.find(1);
        assertTrue(probe.isFree(port, Protocol.TCP));
        assertTrue(probe.isFree(port, Protocol.UDP));
        assertTrue(probe.isFree(port, Protocol.BOTH));
    }

    @Test
    void isFree_withATcpListenerOnTheWildcard_isFalseForTcpAndBoth_trueForUdp() throws IOException {
        int port = FreeSpan.find(1);
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("0.0.0.0"))) {
            assertFalse(probe.isFree(port, Protocol.TCP));
            assertFalse(probe.isFree(port, Protocol.BOTH));
            assertTrue(probe.isFree(port, Protocol.UDP));
        }
        assertTrue(probe.isFree(port, Protocol.TCP), "free again once closed");
    }

    @Test
    void isFree_withATcpListenerOnIpv4LoopbackOnly_isFalse() throws IOException {
        int port = FreeSpan.find(1);
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertFalse(probe.isFree(port, Protocol.TCP));
        }
    }

    @Test
    void isFree_withATcpListenerOnIpv6LoopbackOnly_isFalse() throws IOException {
        Assumptions.assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback");
        int port = FreeSpan.find(1);
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("::1"))) {
            assertFalse(probe.isFree(port, Protocol.TCP));
        }
    }

    @Test
    void isFree_withAUdpSocketOnTheWildcard_isFalseForUdpAndBoth_trueForTcp() throws IOException {
        int port = FreeSpan.find(1);
        try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("0.0.0.0"))) {
            assertFalse(probe.isFree(port, Protocol.UDP));
            assertFalse(probe.isFree(port, Protocol.BOTH));
            assertTrue(probe.isFree(port, Protocol.TCP));
        }
    }

    @Test
    void isFree_withAUdpSocketOnIpv6LoopbackOnly_isFalse() throws IOException {
        Assumptions.assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback");
        int port = FreeSpan.find(1);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), port))) {
            assertFalse(probe.isFree(port, Protocol.UDP));
        }
    }

    @Test
    void isFree_seesASocketBoundWithReuseAddressButNotListening() throws IOException {
        int port = FreeSpan.find(1);
        try (SocketChannel bound = SocketChannel.open()) {
            bound.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            bound.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            assertFalse(probe.isFree(port, Protocol.TCP),
                    "a consumer without SO_REUSEADDR could not bind this port");
        }
    }

    @Test
    void isFree_seesAPortInTimeWait_thatTheJdksReuseAddressWouldHide() throws Exception {
        int port = FreeSpan.find(1);
        try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket("127.0.0.1", port);
             Socket accepted = listener.accept()) {
            accepted.close();
            InputStream in = client.getInputStream();
            assertEquals(-1, in.read(), "the server's FIN arrived");
        }
        assertFalse(probe.isFree(port, Protocol.TCP), "the server side of the connection is in TIME_WAIT");
        try (ServerSocket javaDefault = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertTrue(javaDefault.getReuseAddress(), "the JDK binds with SO_REUSEADDR, which hides TIME_WAIT");
        }
    }

    @Test
    @Timeout(60)
    void isFree_seesANonJavaServerThatBindsWithReuseAddress() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "no python3 here");
        int port = FreeSpan.find(1);
        Process server = new ProcessBuilder("python3", "-c", "import socket,time\n"
                + "s=socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('0.0.0.0'," + port + "))\ns.listen()\nprint('ready', flush=True)\ntime.sleep(60)\n")
                .redirectErrorStream(true).start();
        try {
            byte[] ready = server.getInputStream().readNBytes(6);
            assertEquals("ready\n", new String(ready, StandardCharsets.US_ASCII));
            assertFalse(probe.isFree(port, Protocol.TCP));
        } finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void isFree_inAJvmWithoutIpv6_countsTheAbsentFamilyAsAbsentNotBusy() throws Exception {
        int port = FreeSpan.find(1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Djava.net.preferIPv4Stack=true", "-cp",
                System.getProperty("java.class.path"), ProbeMain.class.getName(), String.valueOf(port), "tcp"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("free", out);
    }

    @Test
    void classify_readsTheOsMessages() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        assertEquals(BindProbe.Bind.BUSY, BindProbe.classify(new BindException("Address already in use"), v4, 1));
        assertEquals(BindProbe.Bind.BUSY, BindProbe.classify(new BindException("Address already in use: bind"), v4, 1));
        assertEquals(BindProbe.Bind.BUSY, BindProbe.classify(new BindException("Permission denied"), v4, 80));
        assertEquals(BindProbe.Bind.ABSENT,
                BindProbe.classify(new BindException("Cannot assign requested address"), v6, 1));
        assertEquals(BindProbe.Bind.ABSENT, BindProbe.classify(new SocketException("Protocol family unavailable"), v6, 1));
        assertEquals(BindProbe.Bind.ABSENT,
                BindProbe.classify(new SocketException("Address family not supported by protocol"), v6, 1));
        assertEquals(BindProbe.Bind.BUSY, BindProbe.classify(new BindException("something new"), v4, 1),
                "an unknown failure counts busy: never hand out a port that could not be checked");
    }

    @Test
    void isFree_refusesPortsOutsideTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> probe.isFree(0, Protocol.TCP));
        assertEquals("port 0 is outside 1-65535; ports are numbered 1 to 65535", e.getMessage());
    }
}
