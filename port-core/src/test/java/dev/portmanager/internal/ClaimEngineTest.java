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
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static dev.portmanager.internal.ManagerFixture.actions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claim rounds, with the real bind probe and real listening sockets, or a probe that reports sockets. */
class ClaimEngineTest {
    private final ManagerFixture fx = new ManagerFixture();

    @AfterEach
    void closeAll() throws Exception {
        fx.close();
    }

    @Test
    void allocate_whenTheClaimedPortIsHeldByAnUnmanagedProcess_recordsTheConflictAndTakesTheNext() throws IOException {
        int first = FreeSpan.find(3);
        fx.listen(first);
        PortManager pm = fx.manager(first, first + 2, b -> { });
        Allocation a = pm.allocate(AllocationRequest.builder("p", "api").range("r").build());
        assertEquals(first + 1, a.port());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.CONFLICT_DETECTED, HistoryAction.ALLOCATED),
                actions(pm));
        HistoryEntry conflict = pm.history(HistoryQuery.builder().action(HistoryAction.CONFLICT_DETECTED).build()).get(0);
        assertEquals(first, conflict.port());
        assertEquals("port found in use by a process the registry does not know", conflict.reason());
        assertEquals(List.of(PortEvent.Type.ALLOCATED, PortEvent.Type.CONFLICT_DETECTED, PortEvent.Type.ALLOCATED),
                fx.eventTypes());
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void allocate_whenEveryPortIsHeldByUnmanagedProcesses_throwsNoFreePortCountingThemBusy() throws IOException {
        int first = FreeSpan.find(2);
        fx.listen(first);
        fx.listen(first + 1);
        PortManager pm = fx.manager(first, first + 1, b -> { });
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
        fx.listen(first);
        PortManager pm = fx.manager(first, first + 1, b -> { });
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
        fx.listen(first + 1);
        PortManager pm = fx.manager(first, first + 3, b -> { });
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
        PortManager pm = fx.manager(first, first + 2, b -> b.probe(seeing));
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
        fx.listen(first);
        PortManager pm = fx.manager(first, first, b -> { });
        Allocation a = pm.allocate(AllocationRequest.builder("p", "api").range("r").host("build-9").build());
        assertEquals(first, a.port());
        assertEquals("build-9", a.host());
    }

    @Test
    void reassign_whenTheNewPortIsBusy_movesOnAndRecordsTheConflict() throws IOException {
        int first = FreeSpan.find(3);
        PortManager pm = fx.manager(first, first + 2, b -> { });
        pm.allocate(AllocationRequest.builder("p", "api").range("r").build());
        fx.listen(first + 1);
        Allocation moved = pm.reassign("p", "api");
        assertEquals(first + 2, moved.port());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.REASSIGNED, HistoryAction.ALLOCATED,
                HistoryAction.CONFLICT_DETECTED, HistoryAction.ALLOCATED), actions(pm));
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void reassign_toAnExactPortFoundBusy_throwsAndLeavesTheServiceWhereItWas() throws IOException {
        int first = FreeSpan.find(3);
        PortManager pm = fx.manager(first, first + 2, b -> { });
        pm.allocate(AllocationRequest.builder("p", "api").range("r").build());
        fx.listen(first + 2);
        PortConflictException e = assertThrows(PortConflictException.class, () -> pm.reassign("p", "api", first + 2));
        assertTrue(e.getMessage().endsWith("; the service stays on port " + first
                + "; stop that process or ask for another port"), e.getMessage());
        assertEquals(first, pm.find("p", "api").orElseThrow().port());
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    /** The bind-only probe, with every question it is asked written down. */
    private static final class RecordingProbe implements PortProbe {
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final PortProbe bind = PortProbe.bindOnly();

        @Override
        public boolean isFree(int port, Protocol protocol) {
            asked.add("isFree " + port);
            return bind.isFree(port, protocol);
        }

        @Override
        public List<ListeningSocket> listening(int from, int to, Protocol protocol) {
            asked.add("listening " + from + "-" + to);
            return List.of();
        }
    }

    @Test
    void allocateAll_inOneRange_asksForTheSocketsOnceARound_andForAHolderOnlyWhenAPortIsBusy() throws IOException {
        int first = FreeSpan.find(5);
        RecordingProbe probe = new RecordingProbe();
        PortManager pm = fx.manager(first, first + 4, b -> b.probe(probe));
        pm.allocateAll(List.of(AllocationRequest.builder("s", "a").range("r").build(),
                AllocationRequest.builder("s", "b").range("r").build()));
        String span = "listening " + first + "-" + (first + 4);
        assertEquals(List.of(span, "isFree " + first, "isFree " + (first + 1)), probe.asked);

        probe.asked.clear();
        fx.listen(first + 3);
        List<Allocation> both = pm.allocateAll(List.of(AllocationRequest.builder("t", "a").range("r").build(),
                AllocationRequest.builder("t", "b").range("r").build()));
        assertEquals(List.of(first + 2, first + 4), both.stream().map(Allocation::port).collect(Collectors.toList()));
        assertEquals(List.of(span, "isFree " + (first + 2), "isFree " + (first + 3),
                "listening " + (first + 3) + "-" + (first + 3), span, "isFree " + (first + 2), "isFree " + (first + 4)),
                probe.asked);
    }

    @Test
    void reassign_toAnExactPortFoundBusy_movesTheServiceBackWithoutAskingTheProbeAboutItsOwnPort() {
        int first = FreeSpan.find(3);
        AtomicBoolean serving = new AtomicBoolean();
        ProcessInfo service = new ProcessInfo(412, "api", "api --serve", "ana", Optional.empty());
        PortProbe probe = new PortProbe() {
            @Override
            public boolean isFree(int port, Protocol protocol) {
                return port != first + 2;
            }

            @Override
            public List<ListeningSocket> listening(int from, int to, Protocol protocol) {
                return serving.get() && from <= first && first <= to
                        ? List.of(new ListeningSocket(Protocol.TCP, "0.0.0.0", first, "LISTEN", Optional.of(service)))
                        : List.of();
            }
        };
        PortManager pm = fx.manager(first, first + 2, b -> b.probe(probe));
        assertEquals(first, pm.allocate(AllocationRequest.builder("p", "api").range("r").build()).port());
        serving.set(true);
        PortConflictException e = assertThrows(PortConflictException.class, () -> pm.reassign("p", "api", first + 2));
        assertEquals("port " + (first + 2) + "/TCP on localhost asked for by p/api is port found in use by a process "
                + "the registry does not know; the service stays on port " + first + "; stop that process or ask for "
                + "another port", e.getMessage());
        assertEquals(first, pm.find("p", "api").orElseThrow().port());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.REASSIGNED, HistoryAction.ALLOCATED,
                HistoryAction.CONFLICT_DETECTED, HistoryAction.ALLOCATED), actions(pm));
        List<HistoryEntry> history = pm.history(HistoryQuery.all());
        assertEquals("moved back: port found in use by a process the registry does not know; moved to port " + first,
                history.get(3).reason());
        assertEquals(first + 2, history.get(3).port());
        assertEquals("moved back: port found in use by a process the registry does not know", history.get(4).reason());
        assertEquals(first, history.get(4).port());
    }
}
