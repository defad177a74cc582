package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.AuditReport;
import dev.portmanager.ConflictLevel;
import dev.portmanager.PortManager;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.probe.PythonChild;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.AnotherUser;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each conflict's level, by the rule ConflictLevel documents, with real processes holding the ports. */
class ConflictLevelTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private PortManager pm;
    private int first;

    @BeforeEach
    void manager() {
        first = FreeSpan.find(6);
        pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).range("dev", first, first + 5).build();
        open.add(pm);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A Python process of this user holding the port. */
    private PythonChild holder(int port) throws IOException {
        PythonChild p = PythonChild.listen("tcp", "0.0.0.0", String.valueOf(port));
        open.add(0, p);
        return p;
    }

    /** An allocation of the held port that expects a process named goblin, with more metadata. */
    private Allocation expectingGoblin(String service, int port, Map<String, String> more) {
        return pm.allocate(AllocationRequest.builder("uDOS", service).port(port).alreadyListening()
                .metadata("process_name", "goblin").metadata(more).build());
    }

    private Map<String, ConflictLevel> levels(AuditReport r) {
        return r.conflicts().stream().collect(Collectors.toMap(c -> c.allocation().service(),
                AuditReport.Conflict::level));
    }

    @Test
    @Timeout(60)
    void foreignProcessOfThisUser_isMedium_andOnACriticalService_critical() throws Exception {
        holder(first);
        holder(first + 1);
        expectingGoblin("plain", first, Map.of());
        expectingGoblin("vital", first + 1, Map.of("critical", "true"));
        AuditReport r = pm.audit();
        assertEquals(Map.of("plain", ConflictLevel.MEDIUM, "vital", ConflictLevel.CRITICAL), levels(r));
        assertEquals(List.of("vital"), r.conflictsAtLeast(ConflictLevel.HIGH).stream()
                .map(c -> c.allocation().service()).collect(Collectors.toList()));
        assertEquals(2, r.conflictsAtLeast(ConflictLevel.NONE).size());
    }

    @Test
    @Timeout(60)
    void aServiceDefinedCritical_keepsTheMark_andAForeignHolderOfItsPortIsCritical() throws Exception {
        Launcher launcher = Launcher.create(pm);
        Allocation a = launcher.define(ServiceDefinition.builder("uDOS", "core").command("goblin --port ${port}")
                .critical(true).build());
        assertEquals("true", a.metadata().get("critical"));
        assertTrue(ServiceDefinition.of(a).orElseThrow().critical());
        holder(a.port());
        pm.update("uDOS", "core", AllocationUpdate.builder().putMetadata("process_name", "goblin").build());
        assertEquals(Map.of("core", ConflictLevel.CRITICAL), levels(pm.audit()));
        Allocation plain = launcher.define(ServiceDefinition.builder("uDOS", "core").command("goblin").build());
        assertFalse(plain.metadata().containsKey("critical"), "a definition without the mark removes it");
    }

    @Test
    @Timeout(60)
    void theServicesOwnStaleProcess_isLow_evenOnACriticalService() throws Exception {
        PythonChild stale = holder(first + 2);
        pm.allocate(AllocationRequest.builder("uDOS", "goblin").port(first + 2).alreadyListening()
                .metadata("process_pattern", "listen\\d*\\.py tcp 0\\.0\\.0\\.0 " + (first + 2))
                .metadata("critical", "true").build());
        long gone = ProcessHandle.current().pid();
        pm.update("uDOS", "goblin", AllocationUpdate.builder().processId(gone).build());
        AuditReport r = pm.audit();
        assertEquals(Map.of("goblin", ConflictLevel.LOW), levels(r), "matches its pattern, but not the pid recorded");
        assertEquals(stale.pid(), r.conflicts().get(0).found().process().orElseThrow().pid());
    }

    @Test
    @Timeout(60)
    void aPatternWithoutARecordedPid_expectsTheProcess_soThereIsNoConflict() throws Exception {
        holder(first + 3);
        pm.allocate(AllocationRequest.builder("uDOS", "goblin").port(first + 3).alreadyListening()
                .metadata("process_pattern", "listen\\d*\\.py").build());
        assertEquals(List.of(), pm.audit().conflicts());
    }

    @Test
    @Timeout(60)
    void anotherUsersProcess_isHigh() throws Exception {
        AnotherUser.assumeAvailable();
        PythonChild nobody = holderAsNobody(first + 4);
        expectingGoblin("shared", first + 4, Map.of());
        AuditReport r = pm.audit();
        assertEquals(Map.of("shared", ConflictLevel.HIGH), levels(r));
        assertEquals(ConflictResolver.Decision.MIGRATE_SERVICE, ConflictResolver.decide(r.conflicts().get(0)));
        ConflictResolver.Resolution done = ConflictResolver.create(pm, ProcessControl.create())
                .resolve(r.conflicts().get(0), ConflictResolver.Strategy.INTELLIGENT);
        assertTrue(done.done(), done.detail());
        assertTrue(nobody.process().isAlive(), "another user's process is never touched");
        assertTrue(pm.find("uDOS", "shared").orElseThrow().port() != first + 4, "our service moved instead");
    }

    /** listen.py run as uid 65534 from a copy it can read. */
    private PythonChild holderAsNobody(int port) throws IOException {
        Path system = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(system) && Files.getPosixFilePermissions(system)
                .contains(PosixFilePermission.OTHERS_EXECUTE), "another user needs a Python it may run: " + system);
        Path script = Files.createTempFile("listen", ".py");
        open.add(() -> Files.deleteIfExists(script));
        try (InputStream in = PythonChild.class.getResourceAsStream("/listen.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        PythonChild p = PythonChild.start(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", system.toString(), "-u", script.toString(), "tcp", "0.0.0.0", String.valueOf(port)));
        open.add(0, p);
        return p;
    }
}
