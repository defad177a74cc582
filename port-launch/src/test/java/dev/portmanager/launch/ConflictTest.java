package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.probe.PythonChild;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A foreign process on an allocated port: found by the audit, reported by the monitor, resolved three ways. */
class ConflictTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<PortEvent> events = new CopyOnWriteArrayList<>();
    private PortManager pm;
    private PythonChild python;
    private Allocation goblin;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** uDOS/goblin expects a process named goblin on its port; a Python process holds it. */
    private void foreignProcessOnGoblinsPort() throws Exception {
        int first = FreeSpan.find(4);
        pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).range("dev", first, first + 3)
                .listener(e -> {
                    if (e.type().ordinal() >= PortEvent.Type.ZOMBIE.ordinal()) {
                        events.add(e);
                    }
                }).build();
        open.add(pm);
        python = PythonChild.listen("tcp", "0.0.0.0", String.valueOf(first));
        open.add(0, python);
        goblin = pm.allocate(AllocationRequest.builder("uDOS", "goblin").port(first).alreadyListening()
                .metadata("process_name", "goblin").build());
    }

    @Test
    @Timeout(60)
    void audit_saysWhoWasExpectedAndWhoWasFound() throws Exception {
        foreignProcessOnGoblinsPort();
        AuditReport report = pm.audit();
        assertTrue(report.sawSockets());
        assertEquals(1, report.conflicts().size());
        AuditReport.Conflict c = report.conflicts().get(0);
        assertEquals("port " + goblin.port() + ": expected uDOS/goblin, found " + python.name() + " (pid "
                + python.pid() + ")", c.message());
        assertEquals("move uDOS/goblin to a free port (portman reassign uDOS goblin), or stop " + python.name()
                + " (pid " + python.pid() + ") (portman kill " + goblin.port() + ")", c.suggestion());
        assertEquals(1, report.inUse(), "the port is in use, by the wrong process");
    }

    @Test
    @Timeout(60)
    void dryRun_saysWhatWouldHappen_andChangesNothing() throws Exception {
        foreignProcessOnGoblinsPort();
        ConflictResolver resolver = ConflictResolver.create(pm, ProcessControl.create());
        List<ConflictResolver.Resolution> done = resolver.resolve(pm.audit(), ConflictResolver.Strategy.DRY_RUN);
        assertEquals(1, done.size());
        assertFalse(done.get(0).done());
        assertEquals("dry run: conservative would move uDOS/goblin to another free port of range 'dev'; aggressive "
                + "would end " + python.name() + " (pid " + python.pid() + "); intelligent would move the service "
                + "(level medium); nothing was changed", done.get(0).detail());
        assertEquals(goblin, pm.find(goblin.port()).orElseThrow());
        assertTrue(python.process().isAlive());
    }

    @Test
    @Timeout(60)
    void conservative_movesOurServiceAndLeavesTheOtherProcessAlone() throws Exception {
        foreignProcessOnGoblinsPort();
        ConflictResolver.Resolution r = ConflictResolver.create(pm, ProcessControl.create())
                .resolve(pm.audit(), ConflictResolver.Strategy.CONSERVATIVE).get(0);
        assertTrue(r.done(), r.detail());
        Allocation moved = r.moved().orElseThrow();
        assertNotEquals(goblin.port(), moved.port());
        assertEquals(moved, pm.find("uDOS", "goblin").orElseThrow());
        assertEquals("goblin", moved.metadata().get("process_name"));
        assertEquals(1, pm.history(HistoryQuery.builder().action(HistoryAction.REASSIGNED).build()).size());
        assertTrue(python.process().isAlive());
    }

    @Test
    @Timeout(60)
    void aggressive_endsTheOtherProcessUnderProcessControlsRules() throws Exception {
        foreignProcessOnGoblinsPort();
        ProcessControl control = ProcessControl.builder().gracePeriod(Duration.ofSeconds(5)).build();
        ConflictResolver.Resolution r = ConflictResolver.create(pm, control)
                .resolve(pm.audit(), ConflictResolver.Strategy.AGGRESSIVE).get(0);
        assertTrue(r.done(), r.detail());
        assertTrue(python.process().waitFor(10, TimeUnit.SECONDS), "the foreign process is gone");
        assertEquals(goblin, pm.find("uDOS", "goblin").orElseThrow(), "our service keeps its port");
        assertEquals(List.of(), pm.audit().conflicts());
    }

    @Test
    @Timeout(60)
    void monitor_reportsTheConflictOnce_andItsEndOnce() throws Exception {
        foreignProcessOnGoblinsPort();
        PortMonitor monitor = pm.monitor(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            monitor.runOnce();
        }
        assertEquals(List.of("CONFLICT"), events.stream().map(e -> e.type().name()).collect(Collectors.toList()));
        assertEquals("port " + goblin.port() + ": expected uDOS/goblin, found " + python.name() + " (pid "
                + python.pid() + ")", events.get(0).detail());
        python.close();
        for (int i = 0; i < 3; i++) {
            monitor.runOnce();
        }
        assertEquals(List.of("CONFLICT", "ZOMBIE", "RECOVERED"),
                events.stream().map(e -> e.type().name()).collect(Collectors.toList()),
                "the foreign process left: nothing listens, and the conflict is over");
    }

    @Test
    @Timeout(60)
    void orphan_namesTheProcessListeningInAManagedRange() throws Exception {
        int first = FreeSpan.find(4);
        pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).range("dev", first, first + 3).build();
        open.add(pm);
        python = PythonChild.listen("tcp", "0.0.0.0", String.valueOf(first + 1));
        open.add(0, python);
        List<AuditReport.Orphan> orphans = pm.audit().orphans();
        assertEquals(1, orphans.size());
        assertEquals(python.pid(), orphans.get(0).socket().process().orElseThrow().pid());
        assertEquals("port " + (first + 1) + "/TCP in range 'dev': " + python.name() + " (pid " + python.pid()
                + "), not in the registry", orphans.get(0).toString());
    }
}
