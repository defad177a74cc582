package dev.portmanager.launch;

import dev.portmanager.PortManager;
import dev.portmanager.ResourceUsage;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's report and status show what each running service uses, read from /proc of a real child JVM. */
@Timeout(120)
class LauncherResourcesTest {
    @TempDir
    Path dir;
    private PortManager pm;
    private Launcher launcher;

    @AfterEach
    void tearDown() {
        if (launcher != null) {
            launcher.down("shop", List.of());
        }
        if (pm != null) {
            pm.close();
        }
    }

    @Test
    void upAndStatus_showTheRunningServicesCpuTimeAndResidentMemory() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
        int first = FreeSpan.find(2);
        pm = PortManager.builder().store("json:" + dir.resolve("ports.json")).probe(SystemProbe.create())
                .range("dev", first, first + 1).defaultRange("dev").build();
        launcher = Launcher.builder(pm).logs(dir.resolve("logs")).startTimeout(Duration.ofSeconds(20))
                .gracePeriod(Duration.ofSeconds(5)).build();
        launcher.define(ServiceDefinition.builder("shop", "api").command(TinyServer.command("--name api"))
                .healthEndpoint("http://127.0.0.1:${port}/health").build());

        LaunchReport.Step started = launcher.up("shop", List.of()).services().get(0);
        assertEquals(LaunchReport.Outcome.STARTED, started.outcome(), started.toString());
        ResourceUsage atStart = started.resources().orElseThrow();
        assertEquals(started.pid(), atStart.pid());
        assertTrue(atStart.residentBytes().getAsLong() > 10L << 20, "a JVM holds more than 10 MB: " + atStart);
        assertTrue(started.toString().matches(".*\\(cpu \\d+\\.\\d\\d s, rss \\d+\\.\\d MB\\)"), started.toString());

        ServiceStatus status = launcher.status("shop").get(0);
        ResourceUsage now = status.resources().orElseThrow();
        assertEquals(started.pid(), now.pid());
        assertTrue(now.cpuTime().orElseThrow().compareTo(Duration.ZERO) > 0, "a started JVM has used CPU: " + now);
        assertTrue(now.cpuTime().orElseThrow().compareTo(atStart.cpuTime().orElseThrow()) >= 0);

        launcher.down("shop", List.of());
        assertEquals(Optional.empty(), launcher.status("shop").get(0).resources(), "nothing runs, nothing is used");
    }
}
