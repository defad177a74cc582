package dev.portmanager.metrics;

import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.PortRange;
import dev.portmanager.testing.FreeSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meters against a real manager: ranges, live allocations, events, allocation latency, the last audit. */
class PortMetricsTest {
    private int first;
    private PortManager pm;
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        first = FreeSpan.find(10);
        pm = PortManager.builder().store("memory:").range("m", first, first + 9).build();
    }

    @AfterEach
    void stop() {
        pm.close();
    }

    private PortMetrics bound(PortMonitor monitor) {
        PortMetrics m = new PortMetrics(pm, monitor, Duration.ZERO);
        m.bindTo(registry);
        return m;
    }

    private double gauge(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }

    private double events(String type) {
        return registry.get("portmanager.events").tag("type", type).counter().count();
    }

    private AllocationRequest request(String service) {
        return AllocationRequest.builder("shop", service).range("m").build();
    }

    @Test
    void rangeGauges_followAllocationsAndReleases() {
        bound(null);
        assertEquals(10.0, gauge("portmanager.range.capacity", "range", "m"));
        assertEquals(0.0, gauge("portmanager.range.allocated", "range", "m"));

        pm.allocate(request("web"));
        pm.allocate(request("api"));
        assertEquals(2.0, gauge("portmanager.range.allocated", "range", "m"));
        assertEquals(0.2, gauge("portmanager.range.utilization", "range", "m"), 1e-9);

        pm.release("shop", "web");
        assertEquals(1.0, gauge("portmanager.range.allocated", "range", "m"));
    }

    @Test
    void liveAllocations_areCountedByStatus() {
        bound(null);
        pm.allocate(request("web"));
        pm.reserve(request("preview"), Duration.ofMinutes(10));

        assertEquals(1.0, gauge("portmanager.allocations", "status", "active"));
        assertEquals(1.0, gauge("portmanager.allocations", "status", "reserved"));
    }

    @Test
    void events_areCountedByType_fromZero() {
        bound(null);
        assertEquals(0.0, events("allocated"));
        assertEquals(0.0, events("zombie"));

        pm.allocate(request("web"));
        pm.allocate(request("api"));
        pm.release("shop", "api");

        assertEquals(2.0, events("allocated"));
        assertEquals(1.0, events("released"));
        assertEquals(0.0, events("expired"));
    }

    @Test
    void auditGauges_withoutAMonitor_areNotRegistered() {
        bound(null);

        assertTrue(registry.find("portmanager.audit.zombies").gauges().isEmpty());
    }

    @Test
    void allocationTimer_recordsEachCallWithItsOperationAndOutcome() {
        bound(null);
        pm.allocate(request("web"));
        pm.getOrAllocate(request("api"));
        pm.getOrAllocate(request("api"));
        assertThrows(AllocationExistsException.class, () -> pm.allocate(request("web")));

        assertEquals(1, registry.get("portmanager.allocation").tags("operation", "allocate", "outcome", "success")
                .timer().count());
        assertEquals(1, registry.get("portmanager.allocation").tags("operation", "get_or_allocate", "outcome",
                "success").timer().count());
        assertEquals(1, registry.get("portmanager.allocation").tags("operation", "allocate", "outcome", "failure",
                "exception", "AllocationExistsException").timer().count());
        assertTrue(registry.get("portmanager.allocation").tags("operation", "allocate", "outcome", "success")
                .timer().totalTime(TimeUnit.NANOSECONDS) > 0);
    }

    @Test
    void aRangeDefinedAfterBinding_getsItsGaugesAtTheNextAllocation() {
        bound(null);
        pm.defineRange(PortRange.of("late", first + 5, first + 9));
        pm.allocate(AllocationRequest.builder("shop", "late").range("late").build());

        assertEquals(5.0, gauge("portmanager.range.capacity", "range", "late"));
        assertEquals(1.0, gauge("portmanager.range.allocated", "range", "late"));
    }

    @Test
    void auditGauges_showTheMonitorsLastRound() throws Exception {
        try (PortMonitor monitor = pm.monitor(Duration.ofDays(1));
             ServerSocket orphan = new ServerSocket(first + 9, 50, InetAddress.getLoopbackAddress())) {
            pm.allocate(request("down"));
            PortMetrics.of(pm, monitor).bindTo(registry);
            monitor.runOnce();

            assertEquals(1.0, registry.get("portmanager.audit.zombies").gauge().value());
            assertEquals(1.0, registry.get("portmanager.audit.orphans").gauge().value());
            assertEquals(0.0, registry.get("portmanager.audit.conflicts").gauge().value());
            assertEquals(0.0, registry.get("portmanager.audit.health").gauge().value());
            assertEquals("percent", registry.get("portmanager.audit.health").gauge().getId().getBaseUnit());
        }
    }

    @Test
    void close_stopsCounting() {
        PortMetrics metrics = bound(null);
        pm.allocate(request("web"));
        metrics.close();
        pm.allocate(request("api"));

        assertEquals(1.0, events("allocated"));
    }
}
