package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.ListeningSocket;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manager's own work, with the real bind probe and real listening sockets. */
class DefaultPortManagerTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<PortEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PortManager manager(int first, int last, Consumer<PortManagerBuilder> config) {
        PortManagerBuilder b = PortManager.builder().store("memory:").range("r", first, last).listener(events::add);
        config.accept(b);
        PortManager pm = b.build();
        open.add(pm);
        return pm;
    }

    private ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("0.0.0.0"));
        open.add(s);
        return s;
    }

    private static List<HistoryAction> actions(PortManager pm) {
        return pm.history(HistoryQuery.all()).stream().map(HistoryEntry::action).collect(Collectors.toList());
    }

    @Test
    void allocate_withAPreferredPortAndNoRangeNamed_staysInTheRangeHoldingIt_takenOrFree() throws IOException {
        int first = FreeSpan.find(4);
        PortManager pm = manager(first, first + 3, b -> { });
        Allocation free = pm.allocate(AllocationRequest.builder("p", "a").preferredPort(first + 2).build());
        assertEquals(first + 2, free.port());
        assertEquals(Optional.of("r"), free.range(), "the range holding the preferred port, not none");
        Allocation taken = pm.allocate(AllocationRequest.builder("p", "b").preferredPort(first + 2).build());
        assertEquals(first, taken.port(), "the fallback is the rest of that range, not the first port from 1024");
        assertEquals(Optional.of("r"), taken.range());
    }

    @Test
    void allocate_whenTheClaimedPortIsHeldByAnUnmanagedProcess_recordsTheConflictAndTakesTheNext() throws IOException {
        int first = FreeSpan.find(3);
        listen(first);
        PortManager pm = manager(first, first + 2, b -> { });
        Allocation a = pm.allocate(AllocationRequest.builder("p", "api").range("r").build());
        assertEquals(first + 1, a.port());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.CONFLICT_DETECTED, HistoryAction.ALLOCATED),
                actions(pm));
        HistoryEntry conflict = pm.history(HistoryQuery.builder().action(HistoryAction.CONFLICT_DETECTED).build()).get(0);
        assertEquals(first, conflict.port());
        assertEquals("port found in use by a process the registry does not know", conflict.reason());
        assertEquals(List.of(PortEvent.Type.ALLOCATED, PortEvent.Type.CONFLICT_DETECTED, PortEvent.Type.ALLOCATED),
                events.stream().map(PortEvent::type).collect(Collectors.toList()));
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void allocate_whenEveryPortIsHeldByUnmanagedProcesses_throwsNoFreePortCountingThemBusy() throws IOException {
        int first = FreeSpan.find(2);
        listen(first);
        listen(first + 1);
        PortManager pm = manager(first, first + 1, b -> { });
        NoFreePortException e = assertThrows(NoFreePortException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "api").range("r").build()));
        assertEquals("no free TCP port in range 'r' " + first + "-" + (first + 1) + " on localhost: 0 allocated, 2 busy, "
                + "0 excluded; widen the range or release one", e.getMessage());
        assertEquals(2, e.busy());
        assertEquals(0, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void allocate_exactPortHeldByAnUnmanagedProcess_throwsPortConflictAndKeepsNothing() throws IOException {
        int first = FreeSpan.find(2);
        listen(first);
        PortManager pm = manager(first, first + 1, b -> { });
        PortConflictException e = assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "api").port(first).build()));
        assertEquals("port " + first + "/TCP on localhost asked for by p/api is port found in use by a process the "
                + "registry does not know; stop it or ask for another port", e.getMessage());
        assertTrue(e.holder().isEmpty());
        assertEquals(0, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void allocateAll_whenOneClaimedPortIsBusy_retriesTheWholeBatch_allOrNothing() throws IOException {
        int first = FreeSpan.find(4);
        listen(first + 1);
        PortManager pm = manager(first, first + 3, b -> { });
        List<Allocation> all = pm.allocateAll(List.of(AllocationRequest.builder("s", "a").range("r").build(),
                AllocationRequest.builder("s", "b").range("r").build()));
        assertEquals(List.of(first, first + 2), all.stream().map(Allocation::port).collect(Collectors.toList()));
        List<HistoryEntry> history = pm.history(HistoryQuery.all());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.ALLOCATED, HistoryAction.CONFLICT_DETECTED,
                HistoryAction.RELEASED, HistoryAction.ALLOCATED, HistoryAction.ALLOCATED),
                history.stream().map(HistoryEntry::action).collect(Collectors.toList()));
        assertEquals("undone with the rest of a bulk allocation: port " + (first + 1) + " was found in use",
                history.get(3).reason());
    }

    @Test
    void allocate_seesListenersTheProbeReports_beforeClaiming() {
        int first = FreeSpan.find(3);
        ProcessInfo python = new ProcessInfo(412, "python3", "python3 -m http.server", "ana", Optional.empty());
        PortProbe seeing = new PortProbe() {
            @Override
            public boolean isFree(int port, Protocol protocol) {
                return true;
            }

            @Override
            public List<ListeningSocket> listening(int from, int to, Protocol protocol) {
                return List.of(new ListeningSocket(Protocol.TCP, "0.0.0.0", first, "LISTEN", Optional.of(python)),
                        new ListeningSocket(Protocol.TCP, "0.0.0.0", first + 1, "LISTEN", Optional.empty()));
            }
        };
        PortManager pm = manager(first, first + 2, b -> b.probe(seeing));
        assertEquals(first + 2, pm.allocate(AllocationRequest.builder("p", "a").range("r").build()).port());
        assertEquals(List.of(HistoryAction.ALLOCATED), actions(pm), "no conflict: the busy ports were never claimed");
        NoFreePortException full = assertThrows(NoFreePortException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "b").range("r").build()));
        assertEquals("no free TCP port in range 'r' " + first + "-" + (first + 2) + " on localhost: 1 allocated, 2 busy "
                + "(pid 412), 0 excluded; widen the range or release one", full.getMessage());
        PortConflictException exact = assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "c").port(first).build()));
        assertEquals("port " + first + "/TCP on localhost asked for by p/c is in use by python3 (pid 412); stop it or "
                + "ask for another port", exact.getMessage());
    }

    @Test
    void allocate_forAnotherHost_isNotCheckedAgainstThisMachinesSockets() throws IOException {
        int first = FreeSpan.find(1);
        listen(first);
        PortManager pm = manager(first, first, b -> { });
        Allocation a = pm.allocate(AllocationRequest.builder("p", "api").range("r").host("build-9").build());
        assertEquals(first, a.port());
        assertEquals("build-9", a.host());
    }

    @Test
    void getOrAllocate_ofARunningService_returnsItsPortWithoutProbing() throws IOException {
        int first = FreeSpan.find(2);
        PortManager pm = manager(first, first + 1, b -> { });
        int port = pm.getOrAllocate("p", "r");
        listen(port);
        assertEquals(port, pm.getOrAllocate("p", "r"), "the service's own listener is no conflict");
    }

    @Test
    void reassign_whenTheNewPortIsBusy_movesOnAndRecordsTheConflict() throws IOException {
        int first = FreeSpan.find(3);
        PortManager pm = manager(first, first + 2, b -> { });
        pm.allocate(AllocationRequest.builder("p", "api").range("r").build());
        listen(first + 1);
        Allocation moved = pm.reassign("p", "api");
        assertEquals(first + 2, moved.port());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.REASSIGNED, HistoryAction.ALLOCATED,
                HistoryAction.CONFLICT_DETECTED, HistoryAction.ALLOCATED), actions(pm));
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void reassign_toAnExactPortFoundBusy_throwsAndLeavesTheServiceWhereItWas() throws IOException {
        int first = FreeSpan.find(3);
        PortManager pm = manager(first, first + 2, b -> { });
        pm.allocate(AllocationRequest.builder("p", "api").range("r").build());
        listen(first + 2);
        PortConflictException e = assertThrows(PortConflictException.class, () -> pm.reassign("p", "api", first + 2));
        assertTrue(e.getMessage().endsWith("; the service stays on port " + first
                + "; stop that process or ask for another port"), e.getMessage());
        assertEquals(first, pm.find("p", "api").orElseThrow().port());
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void listener_thatThrows_isLoggedAndNeverBreaksTheAllocation() {
        int first = FreeSpan.find(1);
        List<PortEvent> after = new ArrayList<>();
        PortManager pm = manager(first, first, b -> b.listener(e -> {
            throw new IllegalStateException("listener bug");
        }).listener(after::add));
        assertEquals(first, pm.getOrAllocate("p", "r"));
        assertEquals(1, after.size(), "later listeners still hear the event");
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void events_followEveryCommittedChange() {
        int first = FreeSpan.find(2);
        PortManager pm = manager(first, first + 1, b -> { });
        pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        pm.release("p", "a");
        pm.release("p", "a");
        assertEquals(List.of(PortEvent.Type.ALLOCATED, PortEvent.Type.RELEASED),
                events.stream().map(PortEvent::type).collect(Collectors.toList()));
        assertEquals("RELEASED p/a " + first + "/TCP on localhost: released", events.get(1).toString());
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
