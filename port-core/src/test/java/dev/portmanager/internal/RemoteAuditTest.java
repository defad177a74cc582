package dev.portmanager.internal;

import com.sun.net.httpserver.HttpServer;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.HealthResult;
import dev.portmanager.HealthStatus;
import dev.portmanager.PortManager;
import dev.portmanager.Protocol;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hosts other than the manager's, audited by connecting to them: real sockets on second loopback addresses (127.0.0.2,
 * 127.0.0.3, 127.0.0.4 route to this machine on Linux) stand for other machines.
 */
class RemoteAuditTest {
    private static final String FAR = "127.0.0.2";
    private final List<AutoCloseable> open = new ArrayList<>();
    private int first;
    private PortManager pm;

    @BeforeEach
    void secondLoopbackAddresses() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(FAR))) {
            Assumptions.assumeTrue(s.isBound());
        } catch (IOException noSuchAddress) {
            Assumptions.abort("127.0.0.2 cannot be bound here (only Linux routes all of 127/8 to loopback)");
        }
        first = FreeSpan.find(8);
        pm = PortManager.builder().store("memory:").range("r", first, first + 7).remoteTimeout(Duration.ofSeconds(5))
                .remoteTimeout("127.0.0.4", Duration.ofMillis(300)).build();
        open.add(pm);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Allocation allocate(String host, String service, int port, Protocol protocol) {
        return pm.allocate(AllocationRequest.builder("far", service).host(host).port(port).protocol(protocol).build());
    }

    private void listen(String address, int port, int backlog) throws IOException {
        open.add(new ServerSocket(port, backlog, InetAddress.getByName(address)));
    }

    @Test
    void audit_ofAnotherHost_connectsToIt_andCallsAPortWhereNothingAnswersAZombie() throws IOException {
        Allocation web = allocate(FAR, "web", first, Protocol.TCP);
        Allocation api = allocate(FAR, "api", first + 1, Protocol.TCP);
        allocate(FAR, "dns", first + 2, Protocol.UDP);
        pm.reserve(AllocationRequest.builder("far", "later").host(FAR).port(first + 3).build(), Duration.ofHours(1));
        listen(FAR, web.port(), 50);
        listen("127.0.0.1", api.port(), 50); // on this host's usual address, not on 127.0.0.2: api still has nothing

        AuditReport r = pm.audit(FAR);
        assertEquals(FAR, r.host());
        assertTrue(r.byConnecting());
        assertFalse(r.sawSockets());
        assertEquals(3, r.allocated());
        assertEquals(2, r.inUse(), "web answers; UDP has no connection to try and is counted in use");
        assertEquals(1, r.notRunning());
        assertEquals(1, r.reserved());
        assertEquals(67, r.healthPercent());
        assertEquals(List.of(api), r.zombies());
        assertEquals(List.of(), r.conflicts(), "no process information is claimed");
        assertEquals(List.of(), r.orphans());
        assertEquals(List.of(), r.resources());
        assertEquals(List.of(), r.ranges());
        assertTrue(r.hasProblems());

        assertFalse(pm.audit().byConnecting(), "the manager's own host is audited with the probe, as before");
    }

    @Test
    void audit_contactsOnlyHostsTheRegistryNames() {
        allocate(FAR, "web", first, Protocol.TCP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pm.audit("127.0.0.3"));
        assertEquals("no live allocation names host '127.0.0.3' in " + pm.storeName() + ", and only hosts the registry "
                + "names are contacted; hosts named: 127.0.0.2, localhost", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pm.audit("bad host"));
    }

    @Test
    void audit_ofAHostThatDoesNotAnswer_waitsItsTimeoutOnce_andTriesNoOtherPortOfIt() throws IOException {
        String slow = "127.0.0.4";
        Allocation stuck = allocate(slow, "stuck", first, Protocol.TCP);
        Allocation next = allocate(slow, "next", first + 1, Protocol.TCP);
        // A listener whose accept queue is full: the kernel drops further connection attempts, as a host that does
        // not answer does.
        ServerSocket full = new ServerSocket(stuck.port(), 1, InetAddress.getByName(slow));
        open.add(full);
        for (int i = 0; i < 4; i++) {
            Socket client = new Socket();
            open.add(client);
            try {
                client.connect(new InetSocketAddress(slow, stuck.port()), 200);
            } catch (IOException queueFull) {
                break;
            }
        }
        listen(slow, next.port(), 50);

        AuditReport r = pm.audit(slow);
        assertEquals(List.of(stuck, next), r.zombies(), "after no answer within 300 ms, the host's other port is not "
                + "tried: it counts as not answering");
        assertEquals(0, r.inUse());
    }

    @Test
    void healthCheck_callsAnEndpointOnlyOnTheAllocationsOwnHost() throws IOException {
        AtomicInteger calledOnOtherHost = new AtomicInteger();
        Allocation own = pm.allocate(AllocationRequest.builder("far", "web").host(FAR).port(first)
                .healthEndpoint("http://127.0.0.2:" + first + "/health").build());
        Allocation elsewhere = pm.allocate(AllocationRequest.builder("far", "api").host(FAR).port(first + 2)
                .healthEndpoint("http://127.0.0.3:" + (first + 1) + "/health").build());
        HttpServer far = server(FAR, first, 503, new AtomicInteger());
        HttpServer other = server("127.0.0.3", first + 1, 200, calledOnOtherHost);

        HealthResult unhealthy = RemoteAuditor.check(own, Duration.ofSeconds(5));
        assertEquals(HealthStatus.UNHEALTHY, unhealthy.status());
        assertEquals("HTTP 503 from http://127.0.0.2:" + first + "/health", unhealthy.detail());

        HealthResult notCalled = RemoteAuditor.check(elsewhere, Duration.ofSeconds(5));
        assertEquals(HealthStatus.NOT_RUNNING, notCalled.status(), "checked on its own host and port instead");
        assertEquals("nothing listens on 127.0.0.2:" + (first + 2) + " (connection refused)", notCalled.detail());
        assertEquals(0, calledOnOtherHost.get(), "127.0.0.3 is named by no allocation, so it is never contacted");
        far.stop(0);
        other.stop(0);
    }

    private static HttpServer server(String address, int port, int status, AtomicInteger calls) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(address, port), 10);
        s.createContext("/health", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        s.start();
        return s;
    }
}
