package dev.portmanager.spring.boot;

import dev.portmanager.Allocation;
import dev.portmanager.AuditReport;
import dev.portmanager.PortManager;
import dev.portmanager.probe.PythonChild;
import dev.portmanager.probe.SystemProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The application in a JVM of its own records itself in its allocation, so the audit (with the system probe, which
 * sees each socket's process) accepts it on its port and reports another process found there. Linux: the probe reads
 * {@code /proc}.
 */
@EnabledOnOs(OS.LINUX)
class AuditAcrossProcessesTest {
    @TempDir
    Path tmp;

    @Test
    void audit_whenAForeignProcessHoldsTheAppsRegisteredPort_reportsItButNeverTheAppItself() throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        int port;
        try (ChildJvm app = ChildJvm.start(tmp.resolve("app.log"), TestApp.class, registry.args("shop"));
             PortManager pm = PortManager.builder().store(registry.store).probe(SystemProbe.create()).build()) {
            Allocation a = awaitRecorded(registry, app);
            port = a.port();
            assertEquals("hello from shop", TestRegistry.get(port, "/hello").body());
            AuditReport running = pm.audit();
            assertEquals(List.of(), running.conflicts(), "the application is the process its allocation expects");
            assertEquals(List.of(), running.zombies());
            assertEquals(1, running.inUse());
        }
        try (PythonChild foreign = PythonChild.start(ChildJvm.java(PortHolder.class, Integer.toString(port)));
             PortManager pm = PortManager.builder().store(registry.store).probe(SystemProbe.create()).build()) {
            AuditReport held = pm.audit();
            assertEquals(1, held.conflicts().size(), held.conflicts().toString());
            AuditReport.Conflict c = held.conflicts().get(0);
            assertEquals(foreign.pid(), c.found().process().orElseThrow().pid());
            assertEquals("port " + port + ": expected shop/http, found java (pid " + foreign.pid() + ")", c.message());
            assertEquals("move shop/http to a free port (portman reassign shop http), or stop java (pid "
                    + foreign.pid() + ") (portman kill " + port + ")", c.suggestion());
        }
    }

    @Test
    void startup_withAJsonRegistry_loadsNoJdbcStoreClass() throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ChildJvm app = ChildJvm.start(tmp.resolve("app.log"), List.of("-verbose:class"), TestApp.class,
                registry.args("shop"))) {
            awaitRecorded(registry, app);
            String loaded = app.output();
            assertTrue(loaded.contains("] dev.portmanager.store.json.JsonFileStore "), "the check sees classes load");
            assertTrue(loaded.contains("] dev.portmanager.store.jdbc.JdbcStoreProvider "), "port-store-jdbc is there");
            for (String jdbc : List.of("dev.portmanager.store.jdbc.JdbcStore ", "org.jdbi.", "org.postgresql.",
                    "org.h2.")) {
                assertFalse(loaded.contains("] " + jdbc), jdbc + " was loaded");
            }
        }
    }

    /** The application's allocation once it has recorded the child's pid; fails after 120 s. */
    private static Allocation awaitRecorded(TestRegistry registry, ChildJvm app) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<Allocation> a = registry.find("shop", "http");
            if (a.isPresent() && a.get().processId().isPresent()) {
                assertEquals(app.pid(), a.get().processId().getAsLong(), app.output());
                return a.get();
            }
            assertTrue(app.isAlive(), "the application exited:\n" + app.output());
            Thread.sleep(200);
        }
        return fail("the application did not record its process in 120 s:\n" + app.output());
    }
}
