package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.CheckReport;
import dev.portmanager.EnvExport;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import dev.portmanager.Protocol;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit and the what-if check with the bind-only probe, on real sockets. */
class AuditTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private int first;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PortManager manager(double warning) {
        first = FreeSpan.find(6);
        PortManager pm = PortManager.builder().store("memory:").range("r", first, first + 4)
                .utilizationWarning(warning).build();
        open.add(pm);
        return pm;
    }

    private void listen(int port) throws IOException {
        open.add(new ServerSocket(port, 50, InetAddress.getByName("0.0.0.0")));
    }

    @Test
    void audit_findsZombiesAndRunningServices() throws IOException {
        PortManager pm = manager(80);
        Allocation running = pm.allocate(AllocationRequest.builder("shop", "web").range("r").build());
        Allocation zombie = pm.allocate(AllocationRequest.builder("shop", "api").range("r").build());
        pm.reserve(AllocationRequest.builder("shop", "later").range("r").build(), Duration.ofHours(1));
        listen(running.port());
        AuditReport report = pm.audit();
        assertEquals(2, report.allocated());
        assertEquals(1, report.inUse());
        assertEquals(1, report.notRunning());
        assertEquals(1, report.reserved());
        assertEquals(50, report.healthPercent());
        assertEquals(List.of(zombie), report.zombies());
        assertTrue(report.hasProblems());
        assertFalse(report.sawSockets());
        assertEquals(List.of(), report.conflicts(), "the bind-only probe sees no owners, so no conflicts");
    }

    @Test
    void audit_findsOrphansInsideManagedRangesOnly() throws IOException {
        PortManager pm = manager(80);
        listen(first + 3);
        listen(first + 5);
        open.add(new DatagramSocket(first + 4, InetAddress.getByName("0.0.0.0")));
        AuditReport report = pm.audit();
        assertEquals(List.of("port " + (first + 3) + "/TCP in range 'r': owner unknown, not in the registry",
                "port " + (first + 4) + "/UDP in range 'r': owner unknown, not in the registry"),
                report.orphans().stream().map(Object::toString).collect(Collectors.toList()));
        PortConflictException busy = assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("shop", "web").port(first + 3).build()));
        assertTrue(busy.getMessage().contains("found in use"), busy.getMessage());
        pm.allocate(AllocationRequest.builder("shop", "web").port(first + 3).alreadyListening().build());
        AuditReport adopted = pm.audit();
        assertEquals(1, adopted.orphans().size(), "adopted: no longer an orphan");
        assertEquals(1, adopted.inUse());
    }

    @Test
    void audit_flagsRangesUsedAboveTheThreshold() {
        PortManager pm = manager(50);
        for (int i = 0; i < 3; i++) {
            pm.allocate(AllocationRequest.builder("shop", "s" + i).range("r").build());
        }
        List<AuditReport.RangeUsage> warnings = pm.audit().warnings();
        assertEquals(1, warnings.size());
        assertEquals("r", warnings.get(0).summary().range());
        assertEquals(60.0, warnings.get(0).summary().utilizationPercent());
        pm.allocate(AllocationRequest.builder("shop", "s3").range("r").build());
        pm.allocate(AllocationRequest.builder("shop", "s4").range("r").build());
        AuditReport.RangeUsage full = pm.audit().warnings().get(0);
        assertEquals(100.0, full.summary().utilizationPercent(), "a full range");
        assertEquals(0, full.summary().available());
        assertThrows(dev.portmanager.NoFreePortException.class,
                () -> pm.allocate(AllocationRequest.builder("shop", "s5").range("r").build()));
    }

    @Test
    void audit_ofAManagerOnAnotherMachine_isByConnecting_andClaimsNoProcesses() {
        PortManager pm = PortManager.builder().store("memory:").host("build-9").build();
        open.add(pm);
        AuditReport r = pm.audit();
        assertTrue(r.byConnecting(), "the probe sees only this machine: build-9 is audited by connecting to it");
        assertEquals("build-9", r.host());
        assertEquals(0, r.allocated());
        assertFalse(r.sawSockets());
    }

    @Test
    void check_findsClashesInThePlan_otherServicesAllocations_andBoundPorts() throws IOException {
        PortManager pm = manager(80);
        pm.allocate(AllocationRequest.builder("shop", "web").port(first).build());
        pm.allocate(AllocationRequest.builder("blog", "web").port(first + 1).build());
        listen(first + 2);
        CheckReport report = pm.check(List.of(
                PlannedBinding.of("shop", "web", first),
                PlannedBinding.of("shop", "api", first + 1),
                PlannedBinding.of("shop", "admin", first + 2),
                new PlannedBinding("shop", "dns", first + 3, Protocol.UDP, "127.0.0.1"),
                new PlannedBinding("shop", "dns2", first + 3, Protocol.UDP, "0.0.0.0"),
                new PlannedBinding("shop", "metrics", first + 4, Protocol.TCP, "127.0.0.1"),
                new PlannedBinding("shop", "metrics6", first + 4, Protocol.TCP, "::1")));
        assertEquals(List.of(CheckReport.Verdict.OK, CheckReport.Verdict.ALLOCATED_TO_OTHER, CheckReport.Verdict.IN_USE,
                CheckReport.Verdict.CLASH_IN_PLAN, CheckReport.Verdict.CLASH_IN_PLAN, CheckReport.Verdict.OK,
                CheckReport.Verdict.OK), report.results().stream().map(CheckReport.Result::verdict)
                .collect(Collectors.toList()));
        assertEquals("allocated to blog/web (TCP)", report.results().get(1).detail());
        assertEquals("also wanted by shop/dns2 0.0.0.0:" + (first + 3) + "/UDP", report.results().get(3).detail());
        assertFalse(report.ok());
        assertEquals(4, report.problems().size());
    }

    @Test
    void available_listsPortsThatAreNeitherAllocatedNorBound_andAllocatesNothing() throws IOException {
        PortManager pm = manager(80);
        pm.allocate(AllocationRequest.builder("shop", "web").port(first).build());
        listen(first + 1);
        assertEquals(List.of(first + 2, first + 3), pm.available("r", 2));
        assertEquals(List.of(first + 2, first + 3, first + 4), pm.available("r", 10));
        assertEquals(List.of(first + 2), pm.available(first, 1));
        assertEquals(1, pm.list(dev.portmanager.AllocationQuery.all()).size());
        int ephemeral = pm.policy().ephemeralRange().start();
        assertEquals(pm.policy().ephemeralRange().end() + 1, pm.available(ephemeral, 1).get(0),
                "the OS ephemeral range is skipped");
        assertTrue(pm.available(1, 1).get(0) >= 1024, "system ports only with allowSystemPorts");
        assertEquals("count 0 is not positive; ask for 1 or more ports", assertThrows(IllegalArgumentException.class,
                () -> pm.available("r", 0)).getMessage());
    }

    @Test
    void environment_exportsPortsAndUrlsAsShellDotenvAndJson() {
        PortManager pm = PortManager.builder().store("memory:").range("r", 23000, 23099).defaultRange("r").build();
        open.add(pm);
        pm.allocate(AllocationRequest.of("consilio", "api"));
        pm.allocate(AllocationRequest.builder("consilio", "dns-v2").protocol(Protocol.UDP).build());
        pm.allocate(AllocationRequest.of("odin", "web"));
        EnvExport env = pm.environment("consilio");
        assertEquals(Map.of("CONSILIO_API_PORT", "23000", "CONSILIO_API_URL", "http://localhost:23000",
                "CONSILIO_DNS_V2_PORT", "23000"), env.variables(), "a UDP port may share its number with a TCP one");
        assertEquals("#!/bin/sh\n# Service ports from Port Manager\nexport CONSILIO_API_PORT='23000'\n"
                + "export CONSILIO_API_URL='http://localhost:23000'\nexport CONSILIO_DNS_V2_PORT='23000'\n", env.shell());
        assertEquals("CONSILIO_API_PORT=23000\nCONSILIO_API_URL=http://localhost:23000\nCONSILIO_DNS_V2_PORT=23000\n",
                env.dotenv());
        assertEquals("{\"CONSILIO_API_PORT\": \"23000\", \"CONSILIO_API_URL\": \"http://localhost:23000\", "
                + "\"CONSILIO_DNS_V2_PORT\": \"23000\"}\n", env.json());
        assertEquals(5, pm.environment(null).variables().size(), "UDP ports get no URL");
        assertEquals("_3D_APP_WEB", EnvExport.name("3d-app_web"));
    }

    @Test
    void environment_whenTwoServicesGiveOneVariable_refusesNamingBoth_andDropsNone() {
        PortManager pm = PortManager.builder().store("memory:").range("r", 23000, 23099).defaultRange("r").build();
        open.add(pm);
        pm.allocate(AllocationRequest.of("a/b", "c/d"));
        pm.allocate(AllocationRequest.of("a_b", "c_d"));
        PortManagerException e = assertThrows(PortManagerException.class, () -> pm.environment(null));
        assertEquals("project 'a/b' service 'c/d' and project 'a_b' service 'c_d' both give the variable A_B_C_D_PORT; "
                + "rename one of them (release it and allocate it under another name), or export their projects one "
                + "at a time", e.getMessage());
        assertEquals(Map.of("A_B_C_D_PORT", "23000", "A_B_C_D_URL", "http://localhost:23000"),
                pm.environment("a/b").variables(), "one project at a time exports");
    }
}
