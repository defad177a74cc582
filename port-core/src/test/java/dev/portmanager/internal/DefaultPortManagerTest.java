package dev.portmanager.internal;

import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The facade's own work: lookups before claiming, events, closing. The claim rounds are {@link ClaimEngineTest}'s. */
class DefaultPortManagerTest {
    private final ManagerFixture fx = new ManagerFixture();

    @AfterEach
    void closeAll() throws Exception {
        fx.close();
    }

    @Test
    void getOrAllocate_ofARunningService_returnsItsPortWithoutProbing() throws IOException {
        int first = FreeSpan.find(2);
        PortManager pm = fx.manager(first, first + 1, b -> { });
        int port = pm.getOrAllocate("p", "r");
        fx.listen(port);
        assertEquals(port, pm.getOrAllocate("p", "r"), "the service's own listener is no conflict");
    }

    @Test
    void listener_thatThrows_isLoggedAndNeverBreaksTheAllocation() {
        int first = FreeSpan.find(1);
        List<PortEvent> after = new ArrayList<>();
        PortManager pm = fx.manager(first, first, b -> b.listener(e -> {
            throw new IllegalStateException("listener bug");
        }).listener(after::add));
        assertEquals(first, pm.getOrAllocate("p", "r"));
        assertEquals(1, after.size(), "later listeners still hear the event");
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void events_followEveryCommittedChange() {
        int first = FreeSpan.find(2);
        PortManager pm = fx.manager(first, first + 1, b -> { });
        pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        pm.release("p", "a");
        pm.release("p", "a");
        assertEquals(List.of(PortEvent.Type.ALLOCATED, PortEvent.Type.RELEASED), fx.eventTypes());
        assertEquals("RELEASED p/a " + first + "/TCP on localhost: released", fx.events.get(1).toString());
    }

    @Test
    void close_isIdempotent_andLaterCallsFailClearly() {
        PortManager pm = PortManager.builder().store("memory:").name("closing").build();
        pm.close();
        pm.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pm.getOrAllocate("p", "api"));
        assertEquals("port manager 'closing' is closed; build a new one", e.getMessage());
    }
}
