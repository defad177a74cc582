package dev.portmanager.probe;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The manager with the system probe: ports held by processes the registry does not know are avoided up front. */
@EnabledOnOs(OS.LINUX)
class PortManagerWithSystemProbeTest {
    @Test
    @SuppressWarnings("try") // the server is held open only to be found
    void allocate_skipsAPortAPythonServerHolds_withoutClaimingItFirst() throws Exception {
        int first = FreeSpan.find(3);
        try (PythonChild server = PythonChild.listen("tcp", "0.0.0.0", Integer.toString(first));
             PortManager pm = PortManager.builder().store("memory:").probe(SystemProbe.create())
                     .range("probe-test", first, first + 2).build()) {
            Allocation a = pm.allocate(AllocationRequest.builder("shop", "api").range("probe-test").build());
            assertEquals(first + 1, a.port());
            for (HistoryEntry e : pm.history(HistoryQuery.all())) {
                assertEquals(HistoryAction.ALLOCATED, e.action(), "the busy port was never claimed: " + e);
            }
        }
    }

    @Test
    void allocate_ofAPortAPythonServerHolds_namesTheServerInTheConflict() throws Exception {
        int port = FreeSpan.find(1);
        try (PythonChild server = PythonChild.listen("tcp", "127.0.0.1", Integer.toString(port));
             PortManager pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).build()) {
            PortConflictException e = assertThrows(PortConflictException.class,
                    () -> pm.allocate(AllocationRequest.builder("uDOS", "goblin").port(port).build()));
            assertEquals("port " + port + "/TCP on localhost asked for by uDOS/goblin is in use by " + server.name()
                    + " (pid " + server.pid() + "); stop it or ask for another port", e.getMessage());
        }
    }
}
