package dev.portmanager.internal;

import com.sun.net.httpserver.HttpServer;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HealthStatus;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Monitoring against a real HTTP service that fails, stops and comes back. */
class MonitorTest {
    private final List<PortEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<AutoCloseable> open = new ArrayList<>();
    private HttpServer server;
    private int first;

    @AfterEach
    void closeAll() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private void serve(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    private PortManager manager() {
        return manager("monitored-" + System.nanoTime());
    }

    private PortManager manager(String name) {
        first = FreeSpan.find(4);
        PortManager pm = PortManager.builder().name(name).store("memory:").range("r", first, first + 3)
                .listener(e -> {
                    if (e.type().ordinal() >= PortEvent.Type.ZOMBIE.ordinal()) {
                        events.add(e);
                    }
                }).build();
        open.add(pm);
        return pm;
    }

    /** Threads of this manager's monitors still alive (a finished executor's worker exits a moment after). */
    private static long monitorThreadsOf(String manager) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("portmanager-monitor-" + manager) && t.isAlive()).count();
    }

    private List<String> seen() {
        return events.stream().map(e -> e.type() + " " + e.port()).collect(Collectors.toList());
    }

    private void rounds(PortMonitor monitor, int n) {
        for (int i = 0; i < n; i++) {
            monitor.runOnce();
        }
    }

    @Test
    @Timeout(60)
    void aServiceThatFailsStopsAndComesBack_isReportedOncePerChange() throws IOException {
        PortManager pm = manager();
        Allocation web = pm.allocate(AllocationRequest.builder("shop", "web").port(first)
                .healthEndpoint("http://127.0.0.1:" + first + "/health").build());
        serve(first);
        PortMonitor monitor = pm.monitor(Duration.ofHours(1));
        rounds(monitor, 2);
        assertEquals(List.of(), seen());
        assertEquals(HealthStatus.HEALTHY, pm.find(first).orElseThrow().healthStatus());

        status.set(503);
        rounds(monitor, 3);
        assertEquals(List.of("UNHEALTHY " + first), seen());
        assertTrue(events.get(0).detail().startsWith("UNHEALTHY in "), events.get(0).detail());
        assertTrue(events.get(0).detail().endsWith("HTTP 503 from http://127.0.0.1:" + first + "/health"));
        assertEquals(HealthStatus.UNHEALTHY, pm.find(first).orElseThrow().healthStatus());
        status.set(200);
        rounds(monitor, 3);
        assertEquals(List.of("UNHEALTHY " + first, "RECOVERED " + first), seen());

        server.stop(0);
        rounds(monitor, 3);
        assertEquals(List.of("UNHEALTHY " + first, "RECOVERED " + first, "ZOMBIE " + first), seen());
        assertEquals(HealthStatus.NOT_RUNNING, pm.find(first).orElseThrow().healthStatus());
        serve(first);
        rounds(monitor, 3);
        assertEquals(List.of("UNHEALTHY " + first, "RECOVERED " + first, "ZOMBIE " + first, "RECOVERED " + first),
                seen());
        assertEquals(HealthStatus.HEALTHY, pm.find(web.port()).orElseThrow().healthStatus());
        assertEquals(5, pm.history(HistoryQuery.builder().action(HistoryAction.UPDATED).build()).size(),
                "health recorded on each change only: healthy, unhealthy, healthy, not running, healthy");
    }

    @Test
    @Timeout(60)
    void anOrphan_isReportedOnce() throws IOException {
        PortManager pm = manager();
        try (ServerSocket orphan = new ServerSocket(first + 2, 50, InetAddress.getByName("0.0.0.0"))) {
            PortMonitor monitor = pm.monitor(Duration.ofHours(1));
            rounds(monitor, 3);
            assertEquals(List.of("ORPHAN " + (first + 2)), seen());
            assertEquals("", events.get(0).project());
        }
    }

    @Test
    @Timeout(60)
    void close_stopsTheScheduleCleanly_andTheManagerClosesItsMonitors() throws Exception {
        PortManager pm = manager("closing-monitors");
        pm.allocate(AllocationRequest.builder("shop", "web").range("r").build());
        PortMonitor fast = pm.monitor(Duration.ofMillis(20));
        PortMonitor other = pm.monitor(Duration.ofMillis(20));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (events.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("ZOMBIE", events.get(0).type().name(), "the schedule ran by itself");
        fast.close();
        assertFalse(fast.isRunning());
        assertThrows(IllegalStateException.class, fast::runOnce);
        pm.close();
        assertFalse(other.isRunning(), "closing the manager closes its monitors");
        long threadsGone = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (monitorThreadsOf("closing-monitors") > 0 && System.nanoTime() < threadsGone) {
            Thread.sleep(10);
        }
        assertEquals(0, monitorThreadsOf("closing-monitors"), "no monitor thread left");
        assertEquals("monitoring interval PT0S is not positive; give one such as Duration.ofMinutes(5)",
                assertThrows(IllegalArgumentException.class, () -> manager().monitor(Duration.ZERO)).getMessage());
    }
}
