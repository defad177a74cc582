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
    void lastAudit_afterARound_isThatRoundsAudit() {
        try (PortMonitor monitor = pm.monitor(Duration.ofDays(1))) {
            pm.allocate(request("down"));

            AuditReport round = monitor.runOnce();

            assertEquals(round, monitor.lastAudit().orElseThrow());
            assertEquals(1, monitor.lastAudit().orElseThrow().zombies().size());
        }
    }
}
