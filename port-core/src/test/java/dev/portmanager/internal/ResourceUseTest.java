package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.ProcessOwner;
import dev.portmanager.ResourceLimits;
import dev.portmanager.ResourceUsage;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A running service's CPU time and resident memory, read from /proc of real child processes, and the limits. */
class ResourceUseTest {
    private static final long MB = 1024 * 1024;
    private final List<Process> children = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        for (Process p : children) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** python3 running the script; its first line of output is read before returning. */
    private Process python(String script) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
        boolean python3;
        try {
            python3 = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException missing) {
            python3 = false;
        }
        Assumptions.assumeTrue(python3, "no python3 here");
        Process p = new ProcessBuilder("python3", "-u", "-c", script).start();
        children.add(p);
        return p;
    }

    private static String line(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void of_aProcessHolding50MB_readsItsResidentMemory_andABusyOnesCpuTimeGrows() throws Exception {
        Process holder = python("data = b'x' * (50 * 1024 * 1024)\nprint('ready')\nimport time\ntime.sleep(60)\n");
        assertEquals("ready", line(holder));
        ResourceUsage held = ResourceUsage.of(holder.pid()).orElseThrow();
        assertEquals(holder.pid(), held.pid());
        assertTrue(held.residentBytes().getAsLong() > 50 * MB, held.toString());
        assertTrue(held.residentBytes().getAsLong() < 200 * MB, held.toString());
        assertTrue(held.toString().matches("pid \\d+: cpu \\d+\\.\\d\\d s \\(\\d+\\.\\d% since start\\), rss \\d+\\.\\d MB"),
                held.toString());

        Process busy = python("print('ready')\nwhile True:\n    pass\n");
        assertEquals("ready", line(busy));
        Duration first = ResourceUsage.of(busy.pid()).orElseThrow().cpuTime().orElseThrow();
        Duration later = first;
        // The kernel counts CPU time in ticks of 10 ms; a spinning process gains one within a few of them.
        for (int i = 0; i < 200 && later.compareTo(first.plusMillis(100)) <= 0; i++) {
            Thread.sleep(20);
            later = ResourceUsage.of(busy.pid()).orElseThrow().cpuTime().orElseThrow();
        }
        assertTrue(later.compareTo(first.plusMillis(100)) > 0, "CPU time grows: " + first + " then " + later);
        assertTrue(ResourceUsage.of(busy.pid()).orElseThrow().cpuPercent().getAsDouble() > 0);

        busy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertEquals(java.util.Optional.empty(), ResourceUsage.of(busy.pid()), "an ended process uses nothing");
        assertThrows(IllegalArgumentException.class, () -> ResourceUsage.of(0));
    }

    @Test
    void monitor_warnsOnceWhenAServiceGoesAboveTheMemoryLimit_andReportsItsRecovery() throws Exception {
        int port = FreeSpan.find(1);
        List<PortEvent> events = new CopyOnWriteArrayList<>();
        PortManager pm = PortManager.builder().store("memory:").range("r", port, port)
                .resourceLimits(ResourceLimits.none().residentMemory(30 * MB)).listener(events::add).build();
        open.add(pm);
        Process service = python("import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1'," + port + "))\n"
                + "s.listen()\ndata = b'x' * (50 * 1024 * 1024)\nprint('ready')\nsys.stdin.readline()\ndel data\n"
                + "print('freed')\nimport time\ntime.sleep(60)\n");
        BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine());
        Allocation a = pm.allocate(AllocationRequest.builder("shop", "api").port(port).alreadyListening()
                .owner(ProcessOwner.of(service.toHandle())).build());

        PortMonitor monitor = pm.monitor(Duration.ofDays(1));
        open.add(monitor);
        AuditReport first = monitor.runOnce();
        assertEquals(1, first.resources().size(), first.resources().toString());
        AuditReport.ServiceResources use = first.overLimits().get(0);
        assertEquals(a.id(), use.allocation().id());
        assertEquals(service.pid(), use.usage().pid());
        assertTrue(use.overLimits().get(0).matches("resident memory \\d+\\.\\d MB above the limit 30\\.0 MB"),
                use.overLimits().toString());
        monitor.runOnce();
        List<PortEvent> over = events.stream().filter(e -> e.type() == PortEvent.Type.OVER_LIMIT).toList();
        assertEquals(1, over.size(), "once per change, not once per round: " + events);
        assertEquals(port, over.get(0).port());
        assertTrue(over.get(0).detail().endsWith(" (pid " + service.pid() + ")"), over.get(0).detail());

        OutputStream in = service.getOutputStream();
        in.write('\n');
        in.flush();
        assertEquals("freed", out.readLine());
        AuditReport after = monitor.runOnce();
        assertEquals(List.of(), after.overLimits(), after.resources().toString());
        assertFalse(after.resources().isEmpty());
        assertTrue(events.stream().anyMatch(e -> e.type() == PortEvent.Type.RECOVERED
                && e.detail().equals("within its resource limits again")), events.toString());
    }

    @Test
    void limits_checkTheirValues_andSayWhatIsExceeded() {
        assertThrows(IllegalArgumentException.class, () -> ResourceLimits.none().residentMemory(0));
        assertThrows(IllegalArgumentException.class, () -> ResourceLimits.none().cpuPercent(-1));
        ResourceLimits limits = ResourceLimits.none().residentMemory(10 * MB).cpuPercent(50);
        assertEquals("resident memory 10.0 MB, CPU 50.0%", limits.toString());
        ResourceUsage heavy = new ResourceUsage(7, java.util.Optional.of(Duration.ofSeconds(3)),
                java.util.OptionalDouble.of(75), java.util.OptionalLong.of(12 * MB));
        assertEquals(List.of("resident memory 12.0 MB above the limit 10.0 MB",
                "CPU 75.0% since start above the limit 50.0%"), limits.exceededBy(heavy));
        assertEquals(List.of(), limits.exceededBy(ResourceUsage.unknown(7)), "unknown use exceeds nothing");
        assertEquals("pid 7: cpu unknown, rss unknown", ResourceUsage.unknown(7).toString());
    }
}
