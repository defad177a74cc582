package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.AuditReport;
import dev.portmanager.PortManager;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.probe.PythonChild;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The intelligent strategy with real processes: the service's own stale process is ended, a foreign holder keeps the
 * port while our service moves to its first free alternative, and the dry run says so first and changes nothing.
 */
class IntelligentStrategyTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private PortManager pm;
    private int first;
    private PythonChild stale;
    private PythonChild foreign;
    private Allocation api;
    private Allocation web;

    @BeforeEach
    void twoConflicts() throws IOException {
        first = FreeSpan.find(6);
        pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).range("dev", first, first + 5).build();
        open.add(pm);
        // shop/api: a leftover run of api itself holds its port (its command line matches api's pattern, but the
        // registry records another process).
        stale = listen(first);
        pm.allocate(AllocationRequest.builder("shop", "api").port(first).alreadyListening()
                .metadata("process_pattern", "listen\\d*\\.py tcp 0\\.0\\.0\\.0 " + first).build());
        api = pm.update("shop", "api", AllocationUpdate.builder().processId(ProcessHandle.current().pid()).build());
        // shop/web: defined with alternatives; a foreign process of this user holds its port.
        web = Launcher.create(pm).define(ServiceDefinition.builder("shop", "web").command("web --port ${port}")
                .alternatives(first + 1, first + 2, first + 3).build());
        foreign = listen(first + 1);
        web = pm.update("shop", "web", AllocationUpdate.builder().putMetadata("process_name", "web").build());
        open.add(0, listen(first + 2));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PythonChild listen(int port) throws IOException {
        PythonChild p = PythonChild.listen("tcp", "0.0.0.0", String.valueOf(port));
        open.add(0, p);
        return p;
    }

    private static ConflictResolver resolver(PortManager pm) {
        return ConflictResolver.create(pm, ProcessControl.builder().gracePeriod(Duration.ofSeconds(5)).build());
    }

    @Test
    @Timeout(90)
    void dryRun_saysWhatItWouldDoAboutEachConflict_andChangesNothing() throws Exception {
        AuditReport report = pm.audit();
        assertEquals(List.of("api LOW", "web MEDIUM"), report.conflicts().stream()
                .map(c -> c.allocation().service() + " " + c.level()).sorted().collect(Collectors.toList()));
        List<String> details = new ArrayList<>();
        for (AuditReport.Conflict c : report.conflicts()) {
            ConflictResolver.Resolution r = resolver(pm).preview(c, ConflictResolver.Strategy.INTELLIGENT);
            assertFalse(r.done());
            details.add(r.detail());
        }
        details.sort(null);
        assertEquals(List.of("dry run: would end " + stale.name() + " (pid " + stale.pid() + "), the service's own "
                        + "stale process (level low); shop/api would keep port " + first,
                "dry run: would move shop/web from port " + (first + 1) + " to its first free alternative of ["
                        + (first + 1) + ", " + (first + 2) + ", " + (first + 3) + "], else another free port of range "
                        + "'dev' (level medium); " + foreign.name() + " (pid " + foreign.pid() + ") would be left alone"),
                details);
        assertTrue(stale.process().isAlive());
        assertTrue(foreign.process().isAlive());
        assertEquals(api, pm.find("shop", "api").orElseThrow());
        assertEquals(web, pm.find("shop", "web").orElseThrow());
        assertEquals(2, pm.audit().conflicts().size());
    }

    @Test
    @Timeout(90)
    void intelligent_endsOurStaleProcess_andMovesOurServiceAwayFromAForeignOne() throws Exception {
        List<ConflictResolver.Resolution> done = resolver(pm).resolve(pm.audit(),
                ConflictResolver.Strategy.INTELLIGENT);
        assertEquals(2, done.size());
        assertTrue(done.stream().allMatch(ConflictResolver.Resolution::done), done.toString());

        assertTrue(stale.process().waitFor(10, TimeUnit.SECONDS), "the stale process of api was ended");
        assertEquals(first, pm.find("shop", "api").orElseThrow().port(), "api keeps its port");

        assertTrue(foreign.process().isAlive(), "the foreign process is left alone");
        Allocation moved = pm.find("shop", "web").orElseThrow();
        assertEquals(first + 3, moved.port(), "the first alternative neither the holder nor another process holds");
        assertEquals("moved shop/web from port " + (first + 1) + " to port " + (first + 3) + " (an alternative) (level "
                + "medium); " + foreign.name() + " (pid " + foreign.pid() + ") is left alone", done.stream()
                .filter(r -> r.conflict().allocation().service().equals("web")).findFirst().orElseThrow().detail());
        assertEquals(List.of(), pm.audit().conflicts(), "nothing of ours is held by another process now");
    }
}
