package dev.portmanager.spring.boot;

import dev.portmanager.AllocationRequest;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Start-up failures: Spring Boot's "APPLICATION FAILED TO START" block, naming the property to change. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {
    private static final String BANNER = "APPLICATION FAILED TO START";

    @TempDir
    Path tmp;

    @Test
    void registry_whenItCannotBeReached_failsStartupNamingTheStoreWithItsPasswordMasked(CapturedOutput output) {
        int closed = FreeSpan.find(1);
        String store = "jdbc:postgresql://127.0.0.1:" + closed + "/ports?user=app&password=s3cret";
        PortAssignmentException e = assertThrows(PortAssignmentException.class, () -> TestApp.start(
                "--spring.application.name=shop", "--portmanager.store=" + store));
        String masked = "jdbc:postgresql://127.0.0.1:" + closed + "/ports?user=app&password=***";
        assertInstanceOf(StoreUnavailableException.class, e.getCause());
        assertReported(output, e, "portmanager.store", "Port Manager could not open the registry " + masked
                + " (portmanager.store) to set server.port: " + masked + "; check that it is up and that the URL and "
                + "credentials are right", "Make sure the registry can be reached, or set portmanager.store to one "
                + "that can (json:<path> for a file, jdbc:postgresql://<host>/<database> or jdbc:h2:<path> for a "
                + "database), or set portmanager.enabled=false to start without the registry");
        assertFalse(output.getAll().contains("s3cret"), "the password is never shown");
    }

    @Test
    void range_whenFull_failsStartupNamingTheRange(CapturedOutput output) {
        TestRegistry registry = TestRegistry.create(tmp, 1);
        try (PortManager pm = registry.open()) {
            pm.allocate(AllocationRequest.builder("other", "http").range(TestRegistry.RANGE).build());
        }
        PortAssignmentException e = assertThrows(PortAssignmentException.class,
                () -> TestApp.start(registry.args("shop")));
        assertInstanceOf(NoFreePortException.class, e.getCause());
        assertReported(output, e, "portmanager.range", "Port Manager found no free port for server.port (shop/http) "
                + "from the registry " + registry.store + ": no free TCP port in range 'spring-test' " + registry.first
                + "-" + registry.last + " on localhost: 1 allocated, 0 busy, 0 excluded; widen the range or release one",
                "Release a port of range 'spring-test' (portman list shows who holds them, portman release PORT frees "
                + "one), or set portmanager.range to a range with room (portman ranges lists them), or set "
                + "server.port to a port yourself");
    }

    @Test
    void range_whenTheRegistryHasNoneOfThatName_failsStartupNamingTheProperty(CapturedOutput output) {
        TestRegistry registry = TestRegistry.create(tmp, 1);
        PortAssignmentException e = assertThrows(PortAssignmentException.class,
                () -> TestApp.start("--spring.application.name=shop", "--portmanager.store=" + registry.store,
                        "--portmanager.range=nope"));
        assertEquals("portmanager.range", e.property());
        assertTrue(e.description().startsWith("Port Manager could not take server.port (shop/http) from the "
                + "registry " + registry.store + " from portmanager.range 'nope': no range named 'nope' in "
                + registry.store + " (ranges: spring-test " + registry.first + "-" + registry.last + ")"),
                e.description());
        assertEquals("Set portmanager.range to one of the registry's ranges (portman ranges lists them), define it "
                + "(portman define-range NAME START END), or remove portmanager.range to let the registry choose",
                e.action());
        assertReported(output, e);
    }

    @Test
    void project_whenNoNameIsSet_failsStartupAskingForOne(CapturedOutput output) {
        TestRegistry registry = TestRegistry.create(tmp, 1);
        PortAssignmentException e = assertThrows(PortAssignmentException.class,
                () -> TestApp.start("--portmanager.store=" + registry.store));
        assertReported(output, e, "portmanager.project", "Port Manager needs a project name to take server.port "
                + "from the registry, and neither portmanager.project nor spring.application.name is set",
                "Set spring.application.name (or portmanager.project) to the application's name, such as "
                + "spring.application.name=shop, or set portmanager.enabled=false to start without the registry");
    }

    @Test
    void mappedService_whenItsNameIsBlank_failsStartupNamingTheMapping(CapturedOutput output) {
        TestRegistry registry = TestRegistry.create(tmp, 2);
        PortAssignmentException e = assertThrows(PortAssignmentException.class,
                () -> TestApp.start(registry.args("shop", "--portmanager.ports.management.server.port= ")));
        assertReported(output, e, "portmanager.ports.management.server.port",
                "portmanager.ports.management.server.port must not be blank (was ' '); give a name such as 'api'",
                "Change portmanager.ports.management.server.port to a name such as 'api'");
    }

    @Test
    void registeredPort_whenAnotherProcessHoldsIt_failsStartupSayingHowToFindAndClearIt(CapturedOutput output)
            throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        int port;
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop"))) {
            port = PortManagerStarterTest.port(app);
        }
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(port));
            assertPortInUse(port, assertThrows(ApplicationContextException.class,
                    () -> TestApp.start(registry.args("shop"))));
        }
        String all = output.getAll();
        assertTrue(all.contains("Description:\n\nPort " + port + ", which the registry gives shop/http for "
                + "server.port, is held by another process\n"), all);
        assertTrue(all.contains("Action:\n\nFind the process with portman audit (it reports the conflict on port "
                + port + "), then stop it (portman kill " + port + ") or move shop/http to a free port (portman "
                + "reassign shop http), and start the application again\n"), all);
    }

    @Test
    void explicitPort_whenAnotherProcessHoldsIt_isLeftToSpringBootsOwnAnalysis(CapturedOutput output)
            throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(0));
            int port = squatter.getLocalPort();
            assertPortInUse(port, assertThrows(ApplicationContextException.class,
                    () -> TestApp.start(registry.args("shop", "--server.port=" + port))));
            String all = output.getAll();
            assertTrue(all.contains("Web server failed to start. Port " + port + " was already in use."), all);
            assertFalse(all.contains("which the registry gives"), all);
        }
    }

    /** The web server failed on exactly that port. */
    private static void assertPortInUse(int port, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PortInUseException p) {
                assertEquals(port, p.getPort());
                return;
            }
        }
        fail("no PortInUseException in " + failure);
    }

    /** The exception names the property, says what failed and what to do, and Spring Boot printed exactly that. */
    private static void assertReported(CapturedOutput output, PortAssignmentException e, String property,
                                       String description, String action) {
        assertEquals(property, e.property());
        assertEquals(description, e.description());
        assertEquals(action, e.action());
        assertReported(output, e);
    }

    /** The failure analysis block Spring Boot prints, with the exception's description and action. */
    private static void assertReported(CapturedOutput output, PortAssignmentException e) {
        String all = output.getAll();
        assertTrue(all.contains(BANNER), all);
        assertTrue(all.contains("Description:\n\n" + e.description() + "\n"), all);
        assertTrue(all.contains("Action:\n\n" + e.action() + "\n"), all);
    }
}
