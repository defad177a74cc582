package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void allocate_withAPreferredPortAndNoRangeNamed_staysInTheRangeHoldingIt_takenOrFree() {
        int first = FreeSpan.find(4);
        PortManager pm = fx.manager(first, first + 3, b -> { });
        Allocation free = pm.allocate(AllocationRequest.builder("p", "a").preferredPort(first + 2).build());
        assertEquals(first + 2, free.port());
        assertEquals(Optional.of("r"), free.range(), "the range holding the preferred port, not none");
        Allocation taken = pm.allocate(AllocationRequest.builder("p", "b").preferredPort(first + 2).build());
        assertEquals(first, taken.port(), "the fallback is the rest of that range, not the first port from 1024");
        assertEquals(Optional.of("r"), taken.range());
    }

    @Test
    void allocate_whenAProcessHoldsThePreferredPort_takesTheFirstFreeAlternative_thenTheRestOfTheRange()
            throws IOException {
        int first = FreeSpan.find(6);
        PortManager pm = fx.manager(first, first + 5, b -> { });
        fx.listen(first + 4);
        fx.listen(first + 3);
        Allocation alt = pm.allocate(AllocationRequest.builder("p", "a").preferredPort(first + 4)
                .alternatives(first + 3, first + 2, first + 1).build());
        assertEquals(first + 2, alt.port(), "the preferred port and the first alternative are held by sockets");
        Allocation rest = pm.allocate(AllocationRequest.builder("p", "b").preferredPort(first + 4)
                .alternatives(first + 3, first + 2).build());
        assertEquals(first, rest.port(), "every alternative held or allocated: the rest of the range");
        NoFreePortException e = assertThrows(NoFreePortException.class, () -> pm.allocate(AllocationRequest
                .builder("p", "c").preferredPort(first + 4).alternatives(first + 3, first + 2).alternativesOnly()
                .build()));
        assertTrue(e.getMessage().startsWith("no free TCP port for p/c on localhost among its ports [" + (first + 4)
                + ", " + (first + 3) + ", " + (first + 2) + "] (alternatives only)"), e.getMessage());
        assertTrue(pm.find("p", "c").isEmpty(), "nothing of the rest of the range was taken");
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
