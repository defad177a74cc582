package sample;

import dev.portmanager.Allocation;
import dev.portmanager.ClaimRegistry;
import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs in Failsafe's fork: writes the ports it was given, the process that owns their claims, and its ancestors. */
class PortsIT {
    @Test
    void seesTheClaimedPorts() throws Exception {
        int http = Integer.parseInt(System.getProperty("http.port"));
        int db = Integer.parseInt(System.getProperty("db.port"));
        try (ServerSocket server = new ServerSocket(http)) {
            assertTrue(server.isBound());
        }
        // The registry the build claimed in: -Dportmanager.claims reaches the fork as a user property.
        try (PortManager registry = PortManager.builder().store(ClaimRegistry.storeUri()).build()) {
            Allocation claim = registry.find(http).orElseThrow();
            StringBuilder ancestors = new StringBuilder();
            for (ProcessHandle p = ProcessHandle.current().parent().orElse(null); p != null;
                 p = p.parent().orElse(null)) {
                ancestors.append(ancestors.length() == 0 ? "" : ",").append(p.pid());
            }
            Files.writeString(Path.of(System.getProperty("ports.dir"), "fork.txt"), http + " " + db + " "
                    + claim.owner().orElseThrow().pid() + " " + ancestors);
        }
    }
}
