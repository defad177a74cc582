package dev.portmanager.internal;

import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.PortEvent;
import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listeners added after build, the timing of allocating calls, and a monitor's last audit. */
class LateListenerTest {
    private PortManager pm;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    private final PortEventListener listener = new PortEventListener() {
        @Override
        public void onEvent(PortEvent event) {
            heard.add(event.type() + " " + event.service());
        }

        @Override
        public void onAllocationTimed(String operation, Duration elapsed, Throwable failure) {
            assertTrue(elapsed.toNanos() > 0);
            heard.add("timed " + operation + (failure == null ? "" : " " + failure.getClass().getSimpleName()));
        }
    };

    @BeforeEach
    void start() {
        int first = FreeSpan.find(10);
        pm = PortManager.builder().store("memory:").range("r", first, first + 9).build();
    }

    @AfterEach
    void stop() {
        pm.close();
    }

    private AllocationRequest request(String service) {
        return AllocationRequest.builder("p", service).range("r").build();
    }

    @Test
    void addListener_afterBuild_hearsLaterChangesAndTimings_untilRemoved() {
        pm.allocate(request("before"));
        pm.addListener(listener);

        pm.allocate(request("a"));
        pm.getOrAllocate(request("a"));
        pm.reserve(request("b"), Duration.ofMinutes(1));
        pm.allocateAll(List.of(request("c"), request("d")));
        assertThrows(AllocationExistsException.class, () -> pm.allocate(request("a")));
        assertTrue(pm.removeListener(listener));
        pm.allocate(request("after"));

        assertEquals(List.of("ALLOCATED a", "timed allocate", "RESERVED b", "timed reserve", "ALLOCATED c",
                "ALLOCATED d", "timed allocate_all", "timed allocate AllocationExistsException"), heard);
        assertFalse(pm.removeListener(listener));
    }

    @Test
    void lastAudit_afterARound_isThatRoundsAudit() throws InterruptedException {
        try (PortMonitor monitor = pm.monitor(Duration.ofDays(1))) {
            // The schedule's first round starts at once on the monitor's thread; wait for it, so that the round
            // below is the last one and not raced by it.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (monitor.lastAudit().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(monitor.lastAudit().isPresent(), "the schedule's first round did not complete within 10 s");
            pm.allocate(request("down"));

            AuditReport round = monitor.runOnce();

            assertEquals(round, monitor.lastAudit().orElseThrow());
            assertEquals(1, monitor.lastAudit().orElseThrow().zombies().size());
        }
    }
}
