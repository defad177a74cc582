package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resource use from the CLI: the audit's resources and the monitor's limits, on a real process. */
class PortmanResourcesIT {
    @TempDir
    Path dir;
    private Process python;

    @AfterEach
    void stop() throws InterruptedException {
        if (python != null) {
            python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, args));
    }

    @Test
    void auditAndMonitor_showAServicesUse_andWarnAboveTheMemoryLimit() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
        int port = PortmanJar.ownRanges(dir, 5, "web").get("web");
        python = PythonListener.start("127.0.0.1", port);
        assertEquals(0, portman("adopt").exit());

        JsonNode use = portman("audit", "--json").json().get("resources").get(0);
        assertEquals(port, use.get("port").asInt());
        assertEquals(python.pid(), use.get("pid").asLong());
        assertTrue(use.get("resident_bytes").asLong() > 1 << 20, use.toString());
        assertTrue(use.get("cpu_seconds").isNumber(), use.toString());
        assertEquals(0, use.get("over_limits").size());

        PortmanJar.Result over = portman("monitor", "--once", "--max-memory", "1KB");
        assertEquals(3, over.exit(), over.toString());
        assertTrue(over.out().matches("(?s)\\S+ OVER_LIMIT adopted/python3-" + port + " " + port + "/TCP on localhost: "
                + "resident memory \\d+\\.\\d MB above the limit 1\\.0 KB \\(pid " + python.pid() + "\\)\n"), over.out());
        PortmanJar.Result under = portman("monitor", "--once", "--max-memory", "2GB", "--max-cpu", "400");
        assertEquals("", under.out(), under.toString());
        assertEquals(0, under.exit(), under.toString());

        PortmanJar.Result bad = portman("monitor", "--once", "--max-memory", "12XB");
        assertEquals(2, bad.exit());
        assertEquals("portman: --max-memory: '12XB' is not a size; write 512MB, 2GB, 800KB or a number of bytes (see: "
                + "portman monitor --help)\n", bad.err());
    }
}
